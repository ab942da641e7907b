package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

func (h *Handler) showSignup(c *gin.Context) {
	h.render(c, http.StatusOK, views.SignupPage(h.page(c, "Sign up"), views.SignupForm{}), nil)
}

func (h *Handler) signup(c *gin.Context) {
	username, rep1 := field(c, "username")
	password1, rep2 := field(c, "password1")
	password2, rep3 := field(c, "password2")
	errs := views.FieldErrors{}
	if rep1 || rep2 || rep3 {
		errs["__all__"] = append(errs["__all__"], "Each field may be sent only once.")
	}
	if msg := models.ValidateUsername(username); msg != "" {
		errs["username"] = append(errs["username"], msg)
	}
	if password1 == "" {
		errs["password1"] = append(errs["password1"], "This field is required.")
	}
	if password2 == "" {
		errs["password2"] = append(errs["password2"], "This field is required.")
	}
	if password1 != "" && password2 != "" {
		if password1 != password2 {
			errs["password2"] = append(errs["password2"], "The two password fields didn’t match.")
		} else if msgs := models.ValidatePassword(password2, username); len(msgs) > 0 {
			errs["password2"] = append(errs["password2"], msgs...)
		}
	}
	if len(errs) == 0 {
		if msg, ok := h.allowSignup(c); !ok {
			errs["__all__"] = append(errs["__all__"], msg)
			h.render(c, http.StatusTooManyRequests, views.SignupPage(h.page(c, "Sign up"), views.SignupForm{Username: username, Errors: errs}), nil)
			return
		}
		err := h.createUser(c, username, password1, false)
		switch {
		case errors.Is(err, models.ErrUsernameTaken):
			errs["username"] = append(errs["username"], "A user with that username already exists.")
		case err != nil:
			h.failErr(c, err)
			return
		default:
			c.Redirect(http.StatusSeeOther, "/accounts/login/")
			return
		}
	}
	// Keep the typed username only if it is printable text.
	if models.ValidateUsername(username) != "" && len(username) > models.MaxUsername*4 {
		username = ""
	}
	h.render(c, http.StatusBadRequest, views.SignupPage(h.page(c, "Sign up"), views.SignupForm{Username: username, Errors: errs}), nil)
}

func (h *Handler) createUser(c *gin.Context, username, password string, staff bool) error {
	hash, err := models.HashPassword(password, h.cfg.PasswordCost)
	if err != nil {
		return err
	}
	_, err = h.store.CreateUser(c.Request.Context(), username, hash, staff)
	return err
}
