// Package static embeds the stylesheet, the page script, the icons and the
// vendored htmx files, so the binary serves them itself.
//
// Pages link each file under a name that carries a hash of its content
// (Asset), which browsers may keep for a year: a changed file gets a new
// name. The plain name still works, revalidated on every use by its ETag.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// FS holds css/, js/, vendor/ and the icons.
//
//go:embed css js vendor favicon.svg favicon.ico
var FS embed.FS

// hashLen is how many hex digits of a file's SHA-256 its hashed name carries.
const hashLen = 16

type file struct {
	body []byte
	hash string
}

// files indexes every embedded file by name, with its hash. The files are
// fixed at build time, so this is read once.
var files = sync.OnceValue(func() map[string]file {
	m := map[string]file{}
	_ = fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := FS.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		m[name] = file{body: body, hash: hex.EncodeToString(sum[:])[:hashLen]}
		return nil
	})
	return m
})

// Asset is the URL of an embedded file, named by its content:
// Asset("js/app.js") is "/static/js/app.<hash>.js". An unknown name gives
// its plain URL, which answers 404.
func Asset(name string) string {
	f, ok := files()[name]
	if !ok {
		return "/static/" + name
	}
	ext := path.Ext(name)
	return "/static/" + strings.TrimSuffix(name, ext) + "." + f.hash + ext
}

// lookup finds the file a request names, plain or hashed, and says whether
// the name carried the file's current hash.
func lookup(name string) (f file, current, ok bool) {
	if f, ok := files()[name]; ok {
		return f, false, true
	}
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	dot := strings.LastIndexByte(base, '.')
	if dot < 0 || len(base)-dot-1 != hashLen {
		return file{}, false, false
	}
	f, ok = files()[base[:dot]+ext]
	return f, ok && f.hash == base[dot+1:], ok
}

// Handler serves the files under the names Asset gives, for a year and
// immutable, and under their plain names (or a hashed name of an older
// build) with an ETag and no-cache, so browsers revalidate them.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		f, current, ok := lookup(name)
		if !ok {
			http.NotFound(w, r)
			return
		}
		hdr := w.Header()
		hdr.Set("ETag", `"`+f.hash+`"`)
		if current {
			hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			hdr.Set("Cache-Control", "no-cache")
		}
		if ct := contentType(name); ct != "" {
			hdr.Set("Content-Type", ct)
		}
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.body))
	})
}

func contentType(name string) string {
	switch ext := path.Ext(name); ext {
	case ".ico":
		return "image/x-icon"
	case ".js":
		return "text/javascript; charset=utf-8"
	default:
		return mime.TypeByExtension(ext)
	}
}
