package handlers

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/media"
	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// maxFiles is how many files one message may carry.
const maxFiles = 4

// multipartMemory is how much of an upload is held in memory; the rest
// waits in temporary files until the request ends.
const multipartMemory = 8 << 20

// limitUpload reads a message form: a plain form as limitBody does, and a
// multipart one (files attached) up to maxFiles files of MaxFileSize each,
// with more time to arrive in proportion to its size. Anything larger is
// refused before it is read.
func (h *Handler) limitUpload(c *gin.Context) {
	h.limitMultipart(c, maxFiles*h.cfg.MaxFileSize+maxBody, h.errFilesTooLarge())
}

// limitMultipart reads a form of at most limit bytes, refusing a larger
// one with tooLarge (limitUpload).
func (h *Handler) limitMultipart(c *gin.Context, limit int64, tooLarge error) {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if mt != "multipart/form-data" {
		h.limitBody(c)
		return
	}
	if c.Request.ContentLength > limit {
		h.fail(c, tooLarge)
		return
	}
	if c.Request.ContentLength > 0 {
		// At least 64 KiB/s, on top of the usual time.
		_ = http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(h.cfg.ReadTimeout + time.Duration(c.Request.ContentLength>>16)*time.Second))
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	err := c.Request.ParseMultipartForm(multipartMemory)
	if c.Request.MultipartForm != nil {
		defer func() { _ = c.Request.MultipartForm.RemoveAll() }()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig), errors.Is(err, multipart.ErrMessageTooLarge):
			h.fail(c, tooLarge)
		case errors.Is(err, os.ErrDeadlineExceeded):
			h.fail(c, errSlowBody)
		default:
			h.fail(c, errBadForm)
		}
		return
	}
	bodyRead(c.Writer)
	c.Next()
}

func (h *Handler) errFilesTooLarge() error {
	return &statusError{http.StatusRequestEntityTooLarge, fmt.Sprintf("Files may be up to %s each, %d to a message.", models.ByteSize(h.cfg.MaxFileSize), maxFiles)}
}

// uploadedFiles are the files of a message form, if any: the parts named
// "file" that name a file (a file input left empty sends none).
func uploadedFiles(c *gin.Context) []*multipart.FileHeader {
	if c.Request.MultipartForm == nil {
		return nil
	}
	var out []*multipart.FileHeader
	for _, fh := range c.Request.MultipartForm.File["file"] {
		if fh.Filename != "" || fh.Size > 0 {
			out = append(out, fh)
		}
	}
	return out
}

// vetFiles reads and vets each uploaded file (media.Vet): its type from
// its content, an image decoded and made anew with a thumbnail. One file
// refused refuses the message: nothing is stored.
func (h *Handler) vetFiles(c *gin.Context, fhs []*multipart.FileHeader) ([]models.Attachment, error) {
	if len(fhs) > maxFiles {
		return nil, &models.InvalidError{Field: "file", Message: fmt.Sprintf("Attach at most %d files to one message.", maxFiles)}
	}
	out := make([]models.Attachment, 0, len(fhs))
	for _, fh := range fhs {
		name := media.CleanName(fh.Filename)
		if fh.Size > h.cfg.MaxFileSize {
			return nil, &models.TooLargeError{Message: fmt.Sprintf("%q is %s; files may be up to %s.", name, models.ByteSize(fh.Size), models.ByteSize(h.cfg.MaxFileSize))}
		}
		if fh.Size == 0 {
			return nil, &models.InvalidError{Field: "file", Message: fmt.Sprintf("%q is empty.", name)}
		}
		data, err := readPart(fh)
		if err != nil {
			return nil, err
		}
		// Decoding is the costly part: a few at a time, whatever arrives.
		select {
		case h.decoding <- struct{}{}:
		case <-c.Request.Context().Done():
			return nil, c.Request.Context().Err()
		}
		f, err := media.Vet(fh.Filename, data)
		<-h.decoding
		if err != nil {
			return nil, err
		}
		out = append(out, models.Attachment{
			Name: f.Name, Type: f.Type, Size: int64(len(f.Data)), Data: f.Data,
			Width: f.Width, Height: f.Height, Thumb: f.Thumb, ThumbWidth: f.ThumbW, ThumbHeight: f.ThumbH,
		})
	}
	return out, nil
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	return data, nil
}

// explainMedia maps a refused file to its status: 415 for a type that is
// not allowed, 422 for an image that cannot be read, 413 for one too big.
func explainMedia(err error) (int, string, bool) {
	var me *media.Error
	if !errors.As(err, &me) {
		return 0, "", false
	}
	switch {
	case errors.Is(err, media.ErrType):
		return http.StatusUnsupportedMediaType, me.Message, true
	case errors.Is(err, media.ErrDimensions):
		return http.StatusRequestEntityTooLarge, me.Message, true
	default:
		return http.StatusUnprocessableEntity, me.Message, true
	}
}

// attachmentViews are a message's files as the log draws them.
func attachmentViews(files []models.Attachment) []views.AttachmentView {
	out := make([]views.AttachmentView, len(files))
	for i, a := range files {
		short, _, _ := strings.Cut(a.Type, ";")
		out[i] = views.AttachmentView{
			ID: a.ID, Name: a.Name, Type: short, Size: models.ByteSize(a.Size), Image: a.Image(),
			Width: a.Width, Height: a.Height, ThumbWidth: a.ThumbWidth, ThumbHeight: a.ThumbHeight,
		}
	}
	return out
}
