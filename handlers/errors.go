package handlers

import (
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/views"
)

// statusError is a refusal of the request itself, which no model error
// describes: it carries its own status and words.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

var (
	errLogIn          = &statusError{http.StatusUnauthorized, "Log in first."}
	errStaffOnly      = &statusError{http.StatusForbidden, "Only staff may see this page."}
	errNoPage         = &statusError{http.StatusNotFound, "There is no page at this address."}
	errTooLarge       = &statusError{http.StatusRequestEntityTooLarge, "The request is too large."}
	errBadForm        = &statusError{http.StatusBadRequest, "The form could not be read."}
	errSlowBody       = &statusError{http.StatusRequestTimeout, "The request took too long to arrive."}
	errChangePassword = &statusError{http.StatusForbidden, "Choose a new password first: the one you logged in with was for one time only."}
	errCrossOrigin    = &statusError{http.StatusForbidden, "This form was sent from another site, so it was refused. Go back to Mini Discord and send it from there."}
)

func errMethod(method string) error {
	return &statusError{http.StatusMethodNotAllowed, "This address does not take " + method + " requests."}
}

// rateLimitError refuses a request that came too soon after others. Reason
// says which budget ran out; the user is told when to try again.
type rateLimitError struct {
	Reason     string // "Too many login attempts."
	RetryAfter time.Duration
}

func (e *rateLimitError) Error() string { return e.Reason + " " + retryMessage(e.seconds()) }

// seconds is the Retry-After value: whole seconds, at least one.
func (e *rateLimitError) seconds() int { return max(1, int(math.Ceil(e.RetryAfter.Seconds()))) }

func retryMessage(secs int) string {
	switch {
	case secs == 1:
		return "Try again in a second."
	case secs < 120:
		return "Try again in " + strconv.Itoa(secs) + " seconds."
	default:
		return "Try again in " + strconv.Itoa((secs+59)/60) + " minutes."
	}
}

const errInternal = "Something went wrong on our side. Please try again."

// explain is the one mapping from an error to what the user is told: its
// status and words. It sets the header that goes with the status
// (Retry-After) and logs what it does not know, as a 500 with its cause.
// Forms that show their errors beside the fields call it for the status and
// words of a refusal too.
func (h *Handler) explain(hdr http.Header, r *http.Request, err error) (status int, msg string) {
	var (
		refused  *statusError
		limited  *rateLimitError
		taken    *models.TakenError
		notFound *models.NotFoundError
	)
	if status, msg, ok := explainMedia(err); ok {
		return status, msg
	}
	switch {
	case errors.As(err, &refused):
		return refused.status, refused.msg
	case errors.As(err, &limited):
		hdr.Set("Retry-After", strconv.Itoa(limited.seconds()))
		return http.StatusTooManyRequests, limited.Error()
	case errors.Is(err, models.ErrTooLarge):
		var large *models.TooLargeError
		errors.As(err, &large)
		return http.StatusRequestEntityTooLarge, large.Message
	case errors.Is(err, models.ErrInvalid):
		var words []string
		for _, p := range models.Problems(err) {
			words = append(words, p.Message)
		}
		return http.StatusBadRequest, strings.Join(words, " ")
	case errors.As(err, &taken):
		return http.StatusConflict, taken.Message
	case errors.As(err, &notFound):
		return http.StatusNotFound, notFoundMessage(notFound)
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, errNoPage.msg
	case errors.Is(err, models.ErrNotAuthor):
		return http.StatusForbidden, "Only its author can edit a message."
	case errors.Is(err, models.ErrWriterClosed):
		return http.StatusServiceUnavailable, "The server is restarting; send it again in a moment."
	case errors.Is(err, realtime.ErrClosed):
		return http.StatusServiceUnavailable, "The server is restarting; reconnect in a moment."
	}
	h.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	return http.StatusInternalServerError, errInternal
}

func notFoundMessage(e *models.NotFoundError) string {
	switch {
	case e.What == "room" && e.Name != "":
		return "There is no room called " + e.Name + "."
	case e.What == "room":
		// Looked up by id: a room the user was shown, since deleted.
		return "That room does not exist any more."
	case e.What == "message":
		return "That message does not exist any more."
	case e.What == "webhook":
		// A wrong token and a revoked or made-up webhook read the same.
		return "There is no webhook at this address."
	case e.What == "bot":
		return "There is no such bot."
	}
	return errNoPage.msg
}

// formError is explain for a form that shows the error in place itself.
func (h *Handler) formError(c *gin.Context, err error) (status int, msg string) {
	return h.explain(c.Writer.Header(), c.Request, err)
}

// fail answers err as explain says and stops the chain.
func (h *Handler) fail(c *gin.Context, err error) {
	h.writeFailure(c.Writer, c.Request, viewer(c), err)
	c.Abort()
}

// writeFailure renders a failure: the error page for a plain request, just
// the words for HTMX (which swaps them into place) and for a stream. It
// takes no gin context because refuseCrossOrigin runs before gin.
func (h *Handler) writeFailure(w http.ResponseWriter, r *http.Request, v views.Viewer, err error) {
	status, msg := h.explain(w.Header(), r, err)
	w.Header().Set("Vary", "HX-Request")
	if v.LoggedIn {
		noStore(w.Header())
	}
	if wantsPartial(r) || r.Header.Get("Accept") == "text/event-stream" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, msg)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	page := views.Page{Title: http.StatusText(status), Viewer: v}
	if err := views.ErrorPage(page, status, msg).Render(r.Context(), w); err != nil {
		h.log.Error("render", "path", r.URL.Path, "err", err)
	}
}
