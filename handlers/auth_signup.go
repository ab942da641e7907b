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
	nameErr := models.ValidateUsername(username)
	addProblems(errs, "username", nameErr)
	if password1 == "" {
		errs["password1"] = append(errs["password1"], "This field is required.")
	}
	if password2 == "" {
		errs["password2"] = append(errs["password2"], "This field is required.")
	}
	// The rules are about the password; the confirmation only has to match.
	if password1 != "" {
		addProblems(errs, "password1", models.ValidatePassword(password1, username))
	}
	if password1 != "" && password2 != "" && password1 != password2 {
		errs["password2"] = append(errs["password2"], "The two password fields didn’t match.")
	}
	if len(errs) == 0 {
		if err := h.allowSignup(c); err != nil {
			status, msg := h.formError(c, err)
			errs["__all__"] = append(errs["__all__"], msg)
			h.render(c, status, views.SignupPage(h.page(c, "Sign up"), views.SignupForm{Username: username, Errors: errs}), nil)
			return
		}
		err := h.createUser(c, username, password1, false)
		var taken *models.TakenError
		switch {
		case errors.As(err, &taken):
			// Beside the field, with the others; the form answers 400 for all.
			errs[taken.Field] = append(errs[taken.Field], taken.Message)
		case err != nil:
			h.fail(c, err)
			return
		default:
			// The login page says so, with the name filled in.
			h.leaveNote(c, noteAccountCreated, username)
			c.Redirect(http.StatusSeeOther, "/accounts/login/")
			return
		}
	}
	// Keep the typed username only if it is printable text.
	if nameErr != nil && len(username) > models.MaxUsername*4 {
		username = ""
	}
	h.render(c, http.StatusBadRequest, views.SignupPage(h.page(c, "Sign up"), views.SignupForm{Username: username, Errors: errs}), nil)
}

// addProblems puts the words of each problem in err beside field.
func addProblems(errs views.FieldErrors, field string, err error) {
	for _, p := range models.Problems(err) {
		errs[field] = append(errs[field], p.Message)
	}
}

func (h *Handler) createUser(c *gin.Context, username, password string, staff bool) error {
	hash, err := models.HashPassword(password, h.cfg.PasswordCost)
	if err != nil {
		return err
	}
	_, err = h.store.CreateUser(c.Request.Context(), username, hash, staff)
	return err
}
