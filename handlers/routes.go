package handlers

import (
	"net/http"

	"github.com/gin-contrib/sessions"
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

	store := newCookieStore(h.cfg.SessionKey)
	store.Options(sessions.Options{
		Path:     "/",
		MaxAge:   int(h.cfg.SessionTTL.Seconds()),
		HttpOnly: true,
		Secure:   h.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
	r.Use(h.logRequests, h.boundWrites, h.recoverPanics, sessions.Sessions(sessionCookie, store), h.loadUser, h.passwordFirst)
	r.NoRoute(func(c *gin.Context) {
		// An imported room's old name may hold a slash: /chat/a/b/.
		if old, ok := oldRoomAddress(c); ok && h.redirectRoomAlias(c, old) {
			return
		}
		h.fail(c, errNoPage)
	})
	r.NoMethod(func(c *gin.Context) { h.fail(c, errMethod(c.Request.Method)) })

	files := gin.WrapH(http.StripPrefix("/static/", static.Handler()))
	r.GET("/static/*filepath", files)
	r.HEAD("/static/*filepath", files)
	favicon := gin.WrapH(http.StripPrefix("/", static.Handler()))
	r.GET("/favicon.ico", favicon)
	r.HEAD("/favicon.ico", favicon)
	r.GET("/", h.showHome)
	r.GET("/healthz", h.showHealth)

	r.GET("/user/signup/", h.showSignup)
	r.POST("/user/signup/", h.limitBody, h.signup)
	r.GET("/accounts/login/", h.showLogin)
	r.POST("/accounts/login/", h.limitBody, h.login)
	r.POST("/accounts/logout/", h.limitBody, h.logout)

	// The reader's own account: one settings page (account.go) and its forms.
	r.GET("/accounts/", h.requireUser, h.showAccount)
	r.GET("/accounts/password/", h.requireUser, h.showAccount)
	r.GET("/accounts/sessions/", h.requireUser, h.showAccount)
	r.POST("/accounts/password/", h.limitBody, h.requireUser, h.changePassword)
	r.POST("/accounts/name/", h.limitBody, h.requireUser, h.setDisplayName)
	r.POST("/accounts/avatar/", h.limitAvatar, h.requireUser, h.setAvatar)
	r.POST("/accounts/avatar/remove", h.limitBody, h.requireUser, h.removeAvatar)
	r.POST("/accounts/sessions/:id/end", h.limitBody, h.requireUser, h.endSession)
	r.POST("/accounts/sessions/end-others", h.limitBody, h.requireUser, h.endOtherSessions)

	r.GET("/chat/", h.listRooms)
	r.POST("/chat/", h.limitBody, h.requireUser, h.createRoom)
	r.GET("/chat/:room/", h.requireUser, h.showRoom)
	r.POST("/chat/:room/messages", h.limitUpload, h.requireUserAPI, h.createMessage)
	r.GET("/chat/:room/messages", h.requireUser, h.listOlderMessages)
	// A bot reads a room through the same stream, with its token (bots.go).
	r.GET("/chat/:room/events", h.bearer, h.requireUserAPI, h.streamRoomEvents)
	r.GET("/chat/:room/mentions", h.requireUserAPI, h.listMentionOptions)
	r.GET("/search", h.requireUser, h.showSearch)
	// Attached files, served only to those who may see their room.
	r.GET("/files/:id", h.requireUserAPI, h.showFile(false))
	r.GET("/files/:id/thumb", h.requireUserAPI, h.showFile(true))
	// Avatars, to anyone logged in (avatar.go).
	r.GET("/avatars/:id", h.requireUserAPI, h.showAvatar)

	// One message: its permalink, and what can be done with it.
	r.GET("/messages/:id", h.requireUser, h.showMessage)
	r.GET("/messages/:id/reply", h.requireUser, h.replyToMessage)
	r.GET("/messages/:id/edit", h.requireUser, h.showEditMessage)
	r.POST("/messages/:id/edit", h.limitBody, h.requireUserAPI, h.editMessage)
	r.GET("/messages/:id/delete", h.requireUser, h.showDeleteMessage)
	r.POST("/messages/:id/delete", h.limitBody, h.requireUserAPI, h.removeMessage)
	r.GET("/messages/:id/react", h.requireUser, h.showReactPicker)
	r.POST("/messages/:id/reactions", h.limitBody, h.requireUserAPI, h.toggleReaction)
	r.POST("/chat/:room/read", h.limitBody, h.requireUserAPI, h.markRoomRead)
	r.POST("/chat/:room/typing", h.limitBody, h.requireUserAPI, h.startTyping)
	r.GET("/events", h.requireUserAPI, h.streamUserEvents)

	// Private spaces: a room's people (room_settings.go), direct messages
	// (dm.go). Who may see a room is models' visibleTo, for every route.
	r.GET("/chat/:room/settings", h.requireUser, h.showRoomSettings)
	r.POST("/chat/:room/settings", h.limitBody, h.requireUser, h.moderateRoom)
	r.GET("/dm/:user", h.requireUser, h.showDM)
	r.GET("/dm/", h.requireUser, h.showDMWith)
	r.POST("/dm/", h.limitBody, h.requireUser, h.openDM)
	// Bots: a room's webhooks, for its managers; the webhook address (its
	// token is its only credential: outside the cross-origin check,
	// security.go); the bots' JSON API (Authorization: Bearer).
	r.GET("/chat/:room/hooks", h.requireUser, h.showWebhooks)
	r.POST("/chat/:room/hooks", h.limitBody, h.requireUser, h.createWebhook)
	r.POST("/chat/:room/hooks/:id/rotate", h.limitBody, h.requireUser, h.rotateWebhook)
	r.POST("/chat/:room/hooks/:id/delete", h.limitBody, h.requireUser, h.deleteWebhook)
	r.POST("/hooks/:id/:token", h.postWebhook)
	api := r.Group("/api", h.bearer, h.requireBot)
	api.GET("/rooms/:room/messages", h.apiListMessages)
	api.POST("/rooms/:room/messages", h.apiPostMessage)

	if h.cfg.Dev {
		r.GET("/styleguide", h.showStyleguide)
	}

	admin := r.Group("/admin", h.requireUser, h.requireStaff)
	admin.GET("/", h.showAdmin)
	admin.GET("/rooms/:id/delete", h.confirmDeleteRoom)
	admin.POST("/rooms/:id/delete", h.limitBody, h.deleteRoom)
	admin.GET("/messages/:id/delete", h.confirmDeleteMessage)
	admin.POST("/messages/:id/delete", h.limitBody, h.deleteMessage)
	admin.POST("/users/:id/active", h.limitBody, h.setUserActive)
	admin.POST("/users/:id/password", h.limitBody, h.setOneTimePassword)
	admin.GET("/bots", h.showBots)
	admin.POST("/bots", h.limitBody, h.createBot)
	admin.POST("/bots/:id/rotate", h.limitBody, h.rotateBot)
	admin.POST("/bots/:id/revoke", h.limitBody, h.revokeBot)

	// Security headers and cross-origin (CSRF) protection: security.go.
	return h.protect(r)
}
