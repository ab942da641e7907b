package handlers

import (
	"net/http"
	"time"
)

// boundReads gives every request cfg.ReadTimeout to send its body. The
// server's ReadHeaderTimeout covers only the headers, so without this a
// client could hold a connection and a goroutine by trickling a body a
// byte at a time (a slow-loris on the body). It is set outside the router
// so it also bounds the bodies that net/http reads and discards after a
// refusal (a cross-site POST, a 404).
//
// Only a request with a body gets it, and the form reader lifts it once
// the body is in (limitBody): net/http watches the connection for a hang-up
// with a read while the handler runs, and a deadline passing there cancels
// the request, which must not happen to a slow page or an open stream.
func (h *Handler) boundReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength != 0 { // -1: chunked, length unknown
			_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(h.cfg.ReadTimeout))
		}
		next.ServeHTTP(w, r)
	})
}

// bodyRead lifts boundReads' deadline once the body has been read.
func bodyRead(w http.ResponseWriter) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
}
