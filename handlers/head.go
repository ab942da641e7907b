package handlers

import (
	"context"
	"net/http"
)

type headKey struct{}

// answerHead serves HEAD as GET, for every route at once (RFC 9110; health
// checkers use HEAD). The router sees a GET; net/http drops the body
// because the request it answers is still the HEAD. isHead tells a handler
// that must not do a GET's work, such as a stream, which would never end.
func answerHead(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			get := r.WithContext(context.WithValue(r.Context(), headKey{}, true))
			get.Method = http.MethodGet
			r = get
		}
		next.ServeHTTP(w, r)
	})
}

// isHead reports whether the request came as HEAD.
func isHead(r *http.Request) bool { return r.Context().Value(headKey{}) != nil }
