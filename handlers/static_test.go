package handlers_test

import (
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/minidiscord/minidiscord/static"
)

// TestStaticFilesAreCached: every file a page links is named by its
// content and may be kept for a year; the plain names revalidate by ETag;
// the favicon is there.
func TestStaticFilesAreCached(t *testing.T) {
	a := newApp(t)
	anon := a.client()
	doc := parse(t, a.get(anon, "/"))
	var links []string
	doc.Find("script[src], link[href]").Each(func(_ int, s *goquery.Selection) {
		links = append(links, s.AttrOr("src", s.AttrOr("href", "")))
	})
	if len(links) < 5 {
		t.Fatalf("the home page links %d files (%q), want the icons, the stylesheet and the scripts", len(links), links)
	}
	for _, link := range links {
		resp := a.get(anon, link)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", link, resp.StatusCode)
			continue
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: Cache-Control %q, want a year, immutable", link, cc)
		}
		// The same bytes as the file under its plain name.
		plain := strings.TrimPrefix(link, "/static/")
		ext := plain[strings.LastIndexByte(plain, '.'):]
		plain = strings.TrimSuffix(plain, ext)
		plain = plain[:strings.LastIndexByte(plain, '.')] + ext
		want, err := fs.ReadFile(static.FS, plain)
		if err != nil {
			t.Errorf("%s is not the hashed name of a file: %v", link, err)
			continue
		}
		if got, _ := io.ReadAll(resp.Body); string(got) != string(want) {
			t.Errorf("GET %s: not the content of %s", link, plain)
		}
	}
	if !strings.Contains(strings.Join(links, " "), "favicon") {
		t.Errorf("the page links no icon: %q", links)
	}

	// A plain name, or the hashed name of another build: served, but
	// revalidated every time.
	for _, path := range []string{"/static/css/app.css", "/static/css/app.0123456789abcdef.css"} {
		resp := a.get(anon, path)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != http.StatusOK || etag == "" || resp.Header.Get("Cache-Control") != "no-cache" {
			t.Fatalf("GET %s: status %d, ETag %q, Cache-Control %q; want 200 with an ETag and no-cache", path, resp.StatusCode, etag, resp.Header.Get("Cache-Control"))
		}
		again := a.send(anon, http.MethodGet, path, "", map[string]string{"If-None-Match": etag})
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag: status %d, want 304", path, again.StatusCode)
		}
	}
	if ct := a.get(anon, "/static/js/app.js").Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("app.js served as %q", ct)
	}

	resp := a.get(anon, "/favicon.ico")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/x-icon" || resp.Header.Get("ETag") == "" {
		t.Errorf("GET /favicon.ico: status %d, type %q, ETag %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("ETag"))
	}
	for _, path := range []string{"/static/", "/static/js/", "/static/nothing.js", "/static/js/app.0123456789abcdef0.js"} {
		if resp := a.get(anon, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, resp.StatusCode)
		}
	}
}
