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
// refusal (a cross-site POST, a 404). A stream lifts it for itself
// (streamRoomEvents), as it does the write deadline.
func (h *Handler) boundReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(h.cfg.ReadTimeout))
		next.ServeHTTP(w, r)
	})
}
