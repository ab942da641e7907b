package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/views"
)

// contentSecurityPolicy allows only this site's own files: no inline script
// or style, no eval (htmx runs with allowEval false and we use neither hx-on
// nor js: values nor trigger filters), no framing, and forms that post only
// here.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"

// protect wraps the router in what every request passes through, outermost
// first: the security headers (so even a refused request carries them), then
// Go's cross-origin protection, which refuses a state-changing request that a
// browser marks as coming from another site (Sec-Fetch-Site, else Origin
// against Host). That is the CSRF defence: no token to forget in a form, and
// HTMX posts are covered like plain ones. Webhooks alone are exempt. Bodies get a read deadline
// (timeouts.go), and inside, HEAD is served as GET (head.go).
func (h *Handler) protect(r http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	// A webhook's address is its only credential: it reads no cookie, so a
	// page elsewhere can make it do nothing its token does not already
	// allow. Only that one route is let through (docs/security.md).
	cop.AddInsecureBypassPattern("POST /hooks/{id}/{token}")
	cop.SetDenyHandler(http.HandlerFunc(h.refuseCrossOrigin))
	return securityHeaders(h.boundReads(cop.Handler(answerHead(r))))
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Content-Security-Policy", contentSecurityPolicy)
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "same-origin")
		hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// refuseCrossOrigin answers a cross-site POST with a 403 that says why.
func (h *Handler) refuseCrossOrigin(w http.ResponseWriter, r *http.Request) {
	h.log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path,
		"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	h.writeFailure(w, r, views.Viewer{}, errCrossOrigin)
}

// trustProxies tells Gin whose X-Forwarded-For to believe when it names the
// client. By default no one's: the client is the peer address, so no client
// can choose its own rate-limit key by sending the header.
func (h *Handler) trustProxies(r *gin.Engine) {
	if err := r.SetTrustedProxies(h.cfg.TrustedProxies); err != nil {
		// cmd checks the list first; a bad one here trusts no one.
		h.log.Error("trusted proxies: trusting none", "proxies", strings.Join(h.cfg.TrustedProxies, ","), "err", err)
		_ = r.SetTrustedProxies(nil)
	}
}
