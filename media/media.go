// Package media vets an uploaded file: it decides the file's type from its
// content against an allow-list, refuses what it cannot vouch for, and
// makes an image safe to show: checked for size before decoding, decoded,
// encoded again (which drops EXIF, GPS and anything appended to it) and
// given a thumbnail. A photo is first turned upright by its EXIF
// orientation, which the new encoding would otherwise lose.
package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // registers GIF with image.Decode
	"image/jpeg"
	"image/png"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/disintegration/imaging"
	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // decodes WebP; it is stored as PNG
)

// Limits of images, checked from their headers before any decoding: an
// image of 100,000 × 100,000 pixels compresses to little but would take
// 40 GB to decode.
const (
	MaxSide   = 12000
	MaxPixels = 50_000_000
	// Thumbnails fit in this box.
	ThumbWidth  = 480
	ThumbHeight = 360
)

// The kinds of refusal, told apart by the caller (errors.Is) to answer
// with the right status; each error says what was wrong in the user's
// words.
var (
	ErrType       = errors.New("media: type not allowed")
	ErrUnreadable = errors.New("media: unreadable image")
	ErrDimensions = errors.New("media: image too large")
)

// Error is a refusal in words for the user.
type Error struct {
	Kind    error
	Message string
}

func (e *Error) Error() string        { return e.Message }
func (e *Error) Is(target error) bool { return target == e.Kind }

// allowed are the types, as net/http's sniffer (the WHATWG algorithm)
// names them, that may be uploaded besides images. Everything else,
// HTML, SVG (sniffed as text/xml) and unknown binaries included, is
// refused. These are served as downloads only.
var allowed = map[string]bool{
	"text/plain; charset=utf-8": true,
	"application/pdf":           true,
	"application/zip":           true,
	"application/x-gzip":        true,
	"audio/mpeg":                true,
	"audio/wave":                true,
	"application/ogg":           true,
	"video/mp4":                 true,
	"video/webm":                true,
}

// images are the picture types shown inline, by sniffed type, with the
// name image.DecodeConfig gives their format.
var images = map[string]string{
	"image/png":  "png",
	"image/jpeg": "jpeg",
	"image/gif":  "gif",
	"image/webp": "webp",
}

// File is a vetted upload, ready to store.
type File struct {
	Name          string // cleaned, for display and download
	Type          string // decided from the content
	Data          []byte
	Width, Height int    // images only
	Thumb         []byte // images larger than the thumbnail box only
	ThumbW        int
	ThumbH        int
}

// Image says the file is shown inline.
func (f *File) Image() bool { return strings.HasPrefix(f.Type, "image/") }

// Vet decides what an upload is. The name the client sent is only cleaned
// for display; it never decides the type.
func Vet(name string, data []byte) (*File, error) {
	f := &File{Name: CleanName(name)}
	sniffed := http.DetectContentType(data)
	if format, ok := images[sniffed]; ok {
		return f, vetImage(f, data, format)
	}
	if !allowed[sniffed] {
		return nil, &Error{ErrType, fmt.Sprintf("%q is not a file type that can be shared here (it looks like %s). Images, PDFs, plain text, archives, audio and video can be.",
			f.Name, describe(sniffed))}
	}
	f.Type, f.Data = sniffed, data
	return f, nil
}

func describe(sniffed string) string {
	mt, _, _ := strings.Cut(sniffed, ";")
	switch mt {
	case "text/html":
		return "a web page"
	case "text/xml":
		return "XML or SVG"
	case "application/octet-stream":
		return "a program or an unknown kind of file"
	}
	return mt
}

func vetImage(f *File, data []byte, format string) error {
	cfg, got, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || got != format || cfg.Width <= 0 || cfg.Height <= 0 {
		return &Error{ErrUnreadable, fmt.Sprintf("%q could not be read as an image: it is damaged, cut short or not what it seems.", f.Name)}
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.Width*cfg.Height > MaxPixels {
		return &Error{ErrDimensions, fmt.Sprintf("%q is %d × %d pixels; images may be at most %d pixels a side and %d megapixels.",
			f.Name, cfg.Width, cfg.Height, MaxSide, MaxPixels/1_000_000)}
	}
	if format == "gif" && vetAnimation(f, data) {
		return nil
	}
	// A still (and a GIF too big to animate: its first frame). A photo is
	// turned the way its camera says (EXIF orientation), since the EXIF
	// goes.
	img, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return &Error{ErrUnreadable, fmt.Sprintf("%q could not be read as an image: it is damaged, cut short or not what it seems.", f.Name)}
	}
	b := img.Bounds()
	f.Width, f.Height = b.Dx(), b.Dy()
	asJPEG := format == "jpeg"
	if f.Data, err = encode(img, asJPEG); err != nil {
		return err
	}
	f.Type = "image/png"
	if asJPEG {
		f.Type = "image/jpeg"
	}
	f.ThumbW, f.ThumbH = fit(f.Width, f.Height, ThumbWidth, ThumbHeight)
	if f.ThumbW == f.Width && f.ThumbH == f.Height {
		return nil
	}
	var dst draw.Image
	if asJPEG {
		dst = image.NewRGBA(image.Rect(0, 0, f.ThumbW, f.ThumbH))
	} else {
		dst = image.NewNRGBA(image.Rect(0, 0, f.ThumbW, f.ThumbH))
	}
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	f.Thumb, err = encode(dst, asJPEG)
	return err
}

// encode writes img anew: only its pixels survive.
func encode(img image.Image, asJPEG bool) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if asJPEG {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 88})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	}
	if err != nil {
		return nil, fmt.Errorf("media: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// fit scales w × h down, keeping its shape, to fit in maxW × maxH.
func fit(w, h, maxW, maxH int) (int, int) {
	if w <= maxW && h <= maxH {
		return w, h
	}
	if w*maxH > h*maxW { // wider than the box
		return maxW, max(1, h*maxW/w)
	}
	return max(1, w*maxH/h), maxH
}

// maxName is how many characters of a name are kept.
const maxName = 120

// CleanName makes a client's file name fit to show and to put in a
// header: the last path element only, valid UTF-8, without control or
// format characters (a right-to-left override could make "gpj.exe" read
// as "exe.jpg"), at most maxName characters; "file" if nothing is left.
func CleanName(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > maxName {
		name = string([]rune(name)[:maxName])
	}
	if name == "" || name == "." || name == "/" || name == ".." {
		return "file"
	}
	return name
}

// AvatarSide is the side of a stored avatar, in pixels.
const AvatarSide = 128

// Avatar vets a picture as Vet does (its type from its content, its size
// checked before decoding, decoded and made anew) and makes it a square
// AvatarSide pixels a side, cropped to its centre. Only images are
// accepted. It returns the picture and its type.
func Avatar(name string, data []byte) ([]byte, string, error) {
	if _, ok := images[http.DetectContentType(data)]; !ok {
		return nil, "", &Error{ErrType, fmt.Sprintf("%q is not a picture (it looks like %s): an avatar must be a PNG, JPEG, GIF or WebP image.",
			CleanName(name), describe(http.DetectContentType(data)))}
	}
	f, err := Vet(name, data)
	if err != nil {
		return nil, "", err
	}
	// f.Data is our own encoding now: decoding it again is safe.
	img, _, err := image.Decode(bytes.NewReader(f.Data))
	if err != nil {
		return nil, "", fmt.Errorf("media: decode vetted image: %w", err)
	}
	b := img.Bounds()
	side := min(b.Dx(), b.Dy())
	crop := image.Rect(0, 0, side, side).Add(b.Min).Add(image.Pt((b.Dx()-side)/2, (b.Dy()-side)/2))
	asJPEG := f.Type == "image/jpeg"
	var dst draw.Image
	if asJPEG {
		dst = image.NewRGBA(image.Rect(0, 0, AvatarSide, AvatarSide))
	} else {
		dst = image.NewNRGBA(image.Rect(0, 0, AvatarSide, AvatarSide))
	}
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, crop, draw.Src, nil)
	out, err := encode(dst, asJPEG)
	if !asJPEG {
		return out, "image/png", err // an animated GIF's first frame too
	}
	return out, f.Type, err
}
