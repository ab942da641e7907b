package handlers_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/ratelimit"
)

// postAvatar uploads files as the settings page's avatar form does, with
// extra headers (Origin ...) if given.
func (a *testApp) postAvatar(c *http.Client, headers map[string]string, files ...upload) *http.Response {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.name)
		if err != nil {
			a.t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, a.srv.URL+"/accounts/avatar/", &body)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatalf("POST avatar: %v", err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// avatarOf is what the store holds of a user's avatar: its version on the
// user (0: none) and whether a picture is stored.
func (a *testApp) avatarOf(name string) (int64, bool) {
	a.t.Helper()
	u, err := a.store.UserByUsername(context.Background(), name)
	if err != nil {
		a.t.Fatal(err)
	}
	_, err = a.store.AvatarOf(context.Background(), u.ID)
	return u.Avatar(), err == nil
}

// TestAvatarShownEverywhere: a user uploads a picture without JavaScript;
// their settings page, the navbar, their messages on a reload and a live
// message event all show it at the same versioned URL; removing it brings
// the letter back everywhere.
func TestAvatarShownEverywhere(t *testing.T) {
	a := newApp(t)
	ann, bob := a.user("ann"), a.user("bob")
	a.createRoom(ann, "general")
	a.say(ann, "general", "before")

	resp := a.postAvatar(ann, nil, upload{"me.png", pngOf(t, 300, 200)})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/accounts/" {
		t.Fatalf("upload: %d %q: %s", resp.StatusCode, resp.Header.Get("Location"), readBody(resp))
	}
	version, stored := a.avatarOf("ann")
	if version <= 0 || !stored {
		t.Fatalf("nothing stored: version %d, stored %v", version, stored)
	}
	u, _ := a.store.UserByUsername(context.Background(), "ann")
	src := "/avatars/" + itoa(u.ID) + "?v=" + itoa(version)

	doc := a.page(ann, "/accounts/")
	if got := doc.Find("[data-testid=account-notice]").Text(); !strings.Contains(got, "avatar is set") {
		t.Errorf("notice %q", got)
	}
	if s, _ := doc.Find("[data-testid=avatar-now] img.avatar").Attr("src"); s != src {
		t.Errorf("settings preview src %q, want %q", s, src)
	}
	if s, _ := doc.Find(".navbar img.avatar").Attr("src"); s != src {
		t.Errorf("navbar src %q, want %q", s, src)
	}

	// Bob's page, reloaded: ann's earlier message shows her picture too
	// (it is hers now), with width, height and an empty alt.
	img := lastMessage(a.page(bob, "/chat/general/")).Find("img.avatar")
	if s, _ := img.Attr("src"); s != src {
		t.Errorf("message avatar src %q, want %q", s, src)
	}
	if alt, ok := img.Attr("alt"); !ok || alt != "" {
		t.Errorf("alt %q %v, want empty", alt, ok)
	}
	if w, _ := img.Attr("width"); w == "" {
		t.Error("no width on the avatar")
	}

	// Live: bob's open stream gets ann's next message with the picture.
	s := a.openStream(bob, "general", "", "")
	defer s.close()
	a.say(ann, "general", "with a face")
	ev := s.next("message")
	frag := fragment(t, ev.Data)
	if got, _ := frag.Find("img.avatar").Attr("src"); got != src {
		t.Errorf("live message avatar src %q, want %q: %s", got, src, ev.Data)
	}
	if frag.Find("span.avatar").Length() != 0 {
		t.Error("the live message still draws the letter")
	}

	// The picture: a 128 × 128 PNG, cached for good at its version,
	// sandboxed and not sniffed.
	resp = a.get(bob, src)
	body := readBody(resp)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("avatar: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	cfg, err := png.DecodeConfig(strings.NewReader(body))
	if err != nil || cfg.Width != 128 || cfg.Height != 128 {
		t.Errorf("avatar is %dx%d (%v), want 128x128", cfg.Width, cfg.Height, err)
	}
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "private, max-age=31536000, immutable",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}

	// A new upload gets a new version, so no cache keeps the old picture.
	a.postAvatar(ann, nil, upload{"me2.png", pngOf(t, 50, 50)})
	if v2, _ := a.avatarOf("ann"); v2 == version {
		t.Errorf("a new upload kept version %d", v2)
	}

	// Removed: the letter is back on the page and on the next live message.
	if resp := a.postForm(ann, "/accounts/avatar/remove", nil, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d: %s", resp.StatusCode, readBody(resp))
	}
	if v, stored := a.avatarOf("ann"); v != 0 || stored {
		t.Fatalf("after remove: version %d, stored %v", v, stored)
	}
	if a.get(bob, src).StatusCode != http.StatusNotFound {
		t.Error("the removed picture is still served")
	}
	msg := lastMessage(a.page(bob, "/chat/general/"))
	if msg.Find("img.avatar").Length() != 0 || strings.TrimSpace(msg.Find("span.avatar").Text()) != "A" {
		t.Errorf("after remove the message shows %q", msg.Find(".avatar").Text())
	}
	a.say(ann, "general", "faceless again")
	if frag := fragment(t, s.next("message").Data); frag.Find("img.avatar").Length() != 0 {
		t.Error("the live message still shows the removed picture")
	}
	// And a later upload never reuses a removed version.
	a.postAvatar(ann, nil, upload{"me3.png", pngOf(t, 50, 50)})
	if v3, _ := a.avatarOf("ann"); v3 <= version+1 {
		t.Errorf("version after remove and upload %d, want more than %d", v3, version+1)
	}
}

// TestAvatarRefusesHostileFiles: only pictures are taken, vetted as shared
// files are; a refusal says why on the settings page and stores nothing.
func TestAvatarRefusesHostileFiles(t *testing.T) {
	a := newApp(t, withFileLimits(256<<10, 0))
	ann := a.user("ann")
	jpg := jpegWithGPS(t, 200, 200)
	for _, tc := range []struct {
		name   string
		files  []upload
		status int
		words  string
	}{
		{"renamed HTML", []upload{{"cat.png", []byte("<!DOCTYPE html><html><script>alert(document.cookie)</script></html>")}}, 415, "not a picture (it looks like a web page)"},
		{"SVG", []upload{{"logo.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`)}}, 415, "XML or SVG"},
		{"PDF, allowed as a file but not a picture", []upload{{"cv.png", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")}}, 415, "not a picture"},
		{"GIF/JavaScript polyglot", []upload{{"x.gif", []byte("GIF89a/*\x00\x00\x00\x00*/=alert(1)//;<script>alert(1)</script>")}}, 422, "could not be read"},
		{"100,000 × 100,000 PNG header", []upload{{"bomb.png", pngHeader(100000, 100000)}}, 413, "100000 × 100000"},
		{"truncated JPEG", []upload{{"cut.jpg", jpg[:len(jpg)/2]}}, 422, "could not be read"},
		{"over the size limit", []upload{{"big.png", bytes.Repeat([]byte("a"), 300<<10)}}, 413, "up to 256 KB"},
		{"none", nil, 400, "Choose an image"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := a.postAvatar(ann, nil, tc.files...)
			body := readBody(resp)
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.words) {
				t.Fatalf("status %d, body %q; want %d saying %q", resp.StatusCode, body, tc.status, tc.words)
			}
			if v, stored := a.avatarOf("ann"); v != 0 || stored {
				t.Fatalf("something was stored: version %d, stored %v", v, stored)
			}
			if resp.StatusCode != 413 && !strings.Contains(body, `id="errors-avatar"`) {
				t.Errorf("the settings page does not show the error by the field")
			}
		})
	}
}

// TestAvatarStripsEXIF: a phone photo's GPS position never reaches the
// stored picture.
func TestAvatarStripsEXIF(t *testing.T) {
	a := newApp(t)
	ann := a.user("ann")
	if resp := a.postAvatar(ann, nil, upload{"IMG_0001.jpg", jpegWithGPS(t, 64, 48)}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d: %s", resp.StatusCode, readBody(resp))
	}
	src, _ := a.page(ann, "/accounts/").Find(".navbar img.avatar").Attr("src")
	resp := a.get(ann, src)
	body := []byte(readBody(resp))
	if resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("type %q, want image/jpeg", resp.Header.Get("Content-Type"))
	}
	for _, leak := range []string{"Exif", "GPSLatitude", "SECRETPHONE"} {
		if bytes.Contains(body, []byte(leak)) {
			t.Errorf("the avatar still holds %q", leak)
		}
	}
	img, err := jpeg.Decode(bytes.NewReader(body))
	if err != nil || img.Bounds() != image.Rect(0, 0, 128, 128) {
		t.Errorf("avatar %v (%v), want a 128x128 JPEG", img.Bounds(), err)
	}
}

// TestAvatarAccess: anonymous visitors get 401 on a picture; a
// cross-origin upload or removal is refused (403) and changes nothing;
// uploads count against the account-change limit.
func TestAvatarAccess(t *testing.T) {
	a := newApp(t, withLimits(handlers.RateLimits{AccountPerUser: ratelimit.Limit{Events: 5, Per: time.Hour}}))
	ann := a.user("ann")
	a.postAvatar(ann, nil, upload{"me.png", pngOf(t, 40, 40)})
	version, _ := a.avatarOf("ann")
	u, _ := a.store.UserByUsername(context.Background(), "ann")
	src := "/avatars/" + itoa(u.ID) + "?v=" + itoa(version)
	if st := a.get(a.client(), src).StatusCode; st != http.StatusUnauthorized {
		t.Errorf("anonymous: %d, want 401", st)
	}
	if st := a.get(ann, "/avatars/999999?v=1").StatusCode; st != http.StatusNotFound {
		t.Errorf("no such avatar: %d, want 404", st)
	}
	evil := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
	if st := a.postAvatar(ann, evil, upload{"x.png", pngOf(t, 10, 10)}).StatusCode; st != http.StatusForbidden {
		t.Errorf("cross-origin upload: %d, want 403", st)
	}
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/accounts/avatar/remove", nil)
	for k, v := range evil {
		req.Header.Set(k, v)
	}
	if resp, err := ann.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin remove: %v %v, want 403", resp.StatusCode, err)
	}
	if v, stored := a.avatarOf("ann"); v != version || !stored {
		t.Errorf("a cross-origin post changed the avatar: %d %v", v, stored)
	}
	var limited bool
	for range 5 {
		if a.postAvatar(ann, nil, upload{"me.png", pngOf(t, 10, 10)}).StatusCode == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("5 more uploads in an hour were never rate-limited")
	}
}
