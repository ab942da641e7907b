package handlers

import (
	"net/http"

	"github.com/gin-contrib/sessions"
	"github.com/gin-contrib/sessions/cookie"
	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/static"
)

// Routes is the whole URL surface.
func (h *Handler) Routes() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectFixedPath = false
	h.trustProxies(r)

	store := cookie.NewStore(h.cfg.SessionKey)
	store.Options(sessions.Options{
		Path:     "/",
		MaxAge:   int(h.cfg.SessionTTL.Seconds()),
		HttpOnly: true,
		Secure:   h.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
	r.Use(h.logRequests, h.boundWrites, h.recoverPanics, sessions.Sessions(sessionCookie, store), h.loadUser)
	r.NoRoute(func(c *gin.Context) {
		// An imported room's old name may hold a slash: /chat/a/b/.
		if old, ok := oldRoomAddress(c); ok && h.redirectRoomAlias(c, old) {
			return
		}
		h.fail(c, errNoPage)
	})
	r.NoMethod(func(c *gin.Context) { h.fail(c, errMethod(c.Request.Method)) })

	r.StaticFS("/static", http.FS(static.FS))
	r.GET("/", h.showHome)
	r.GET("/healthz", h.showHealth)
	r.GET("/metrics", h.showMetrics)

	r.GET("/user/signup/", h.showSignup)
	r.POST("/user/signup/", h.limitBody, h.signup)
	r.GET("/accounts/login/", h.showLogin)
	r.POST("/accounts/login/", h.limitBody, h.login)
	r.POST("/accounts/logout/", h.limitBody, h.logout)

	r.GET("/chat/", h.listRooms)
	r.POST("/chat/", h.limitBody, h.requireUser, h.createRoom)
	r.GET("/chat/:room/", h.requireUser, h.showRoom)
	r.POST("/chat/:room/messages", h.limitBody, h.requireUserAPI, h.createMessage)
	r.GET("/chat/:room/messages", h.requireUser, h.listOlderMessages)
	r.GET("/chat/:room/events", h.requireUserAPI, h.streamRoomEvents)
	r.GET("/search", h.requireUser, h.showSearch)

	if h.cfg.Dev {
		r.GET("/styleguide", h.showStyleguide)
	}

	admin := r.Group("/admin", h.requireUser, h.requireStaff)
	admin.GET("/", h.showAdmin)
	admin.POST("/rooms/:id/delete", h.limitBody, h.deleteRoom)
	admin.POST("/messages/:id/delete", h.limitBody, h.deleteMessage)

	// Security headers and cross-origin (CSRF) protection: security.go.
	return h.protect(r)
}
