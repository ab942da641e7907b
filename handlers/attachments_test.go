package handlers_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/ratelimit"
)

// upload is one file of a multipart post.
type upload struct {
	name string
	data []byte
}

// postFiles posts a message with files as the composer's form does
// (multipart), as a browser without JavaScript unless htmx.
func (a *testApp) postFiles(c *http.Client, room, text string, htmx bool, files ...upload) *http.Response {
	a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("message", text); err != nil {
		a.t.Fatal(err)
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.name)
		if err != nil {
			a.t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, a.srv.URL+"/chat/"+url.PathEscape(room)+"/messages", &body)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatalf("POST files: %v", err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// uploaded reads what the store holds of a user's files.
func (a *testApp) uploadedBy(name string) int64 {
	a.t.Helper()
	u, err := a.store.UserByUsername(context.Background(), name)
	if err != nil {
		a.t.Fatal(err)
	}
	n, err := a.store.UploadedBytes(context.Background(), u.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return n
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// jpegWithGPS is a photo carrying an EXIF segment with a GPS position, as
// a phone writes it.
func jpegWithGPS(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), 90, uint8(y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	exif := []byte("Exif\x00\x00MM\x00\x2aGPSLatitude=48.8584N;GPSLongitude=2.2945E;Make=SECRETPHONE")
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(exif)+2))
	out := append([]byte{}, b.Bytes()[:2]...) // SOI
	out = append(append(out, seg...), exif...)
	return append(out, b.Bytes()[2:]...)
}

// pngHeader is a PNG that claims w × h pixels: a valid signature and IHDR,
// and no pixels. 100,000 × 100,000 would take 40 GB to decode.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func withFileLimits(size, quota int64) appOption {
	return func(c *handlers.AppConfig) { c.Handler.MaxFileSize, c.Handler.UploadQuota = size, quota }
}

// lastMessage is the newest message of a room page.
func lastMessage(doc *goquery.Document) *goquery.Selection {
	return doc.Find("#messages article[data-testid=message]").Last()
}

func TestUploadImageWithoutJavaScript(t *testing.T) {
	a := newApp(t)
	ann, bo := a.user("ann"), a.user("bo")
	a.createRoom(ann, "general")
	s := a.openStream(bo, "general", "", "")
	defer s.close()

	resp := a.postFiles(ann, "general", "the view", false, upload{"view.png", pngOf(t, 1200, 600)})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/general/" {
		t.Fatalf("post: %d to %q, want 303 back to the room: %s", resp.StatusCode, resp.Header.Get("Location"), readBody(resp))
	}

	// Live for the other reader, with the thumbnail's size set.
	live := fragment(t, s.next("message").Data).Find("img")
	if w, _ := live.Attr("width"); w != "480" {
		t.Errorf("live thumbnail width %q, want 480", w)
	}
	if h, _ := live.Attr("height"); h != "240" {
		t.Errorf("live thumbnail height %q, want 240", h)
	}
	// A reload shows the same.
	msg := lastMessage(a.page(bo, "/chat/general/"))
	img := msg.Find("a[data-testid=attachment-image] img")
	src, _ := img.Attr("src")
	w, _ := img.Attr("width")
	h, _ := img.Attr("height")
	if w != "480" || h != "240" || !strings.HasSuffix(src, "/thumb") {
		t.Fatalf("page image: src %q %sx%s, want a thumbnail 480x240", src, w, h)
	}
	if got := msg.Find("[data-testid=message-content]").Text(); !strings.Contains(got, "the view") {
		t.Errorf("text %q lost beside the file", got)
	}
	full, _ := msg.Find("a[data-testid=attachment-image]").Attr("href")

	thumb := a.get(bo, src)
	cfg, format, err := image.DecodeConfig(thumb.Body)
	if thumb.StatusCode != http.StatusOK || err != nil || format != "png" || cfg.Width != 480 || cfg.Height != 240 {
		t.Fatalf("thumbnail: %d %v %s %dx%d, want a 480x240 png", thumb.StatusCode, err, format, cfg.Width, cfg.Height)
	}
	orig := a.get(bo, full)
	cfg, _, err = image.DecodeConfig(orig.Body)
	if err != nil || cfg.Width != 1200 || cfg.Height != 600 {
		t.Fatalf("full size: %v %dx%d, want 1200x600", err, cfg.Width, cfg.Height)
	}
	if d := orig.Header.Get("Content-Disposition"); !strings.HasPrefix(d, "inline") {
		t.Errorf("image disposition %q, want inline", d)
	}
	for k, want := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff"} {
		if got := orig.Header.Get(k); got != want {
			t.Errorf("%s %q, want %q", k, got, want)
		}
	}
	if csp := orig.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q, want a sandboxing one", csp)
	}
}

func TestUploadStripsEXIF(t *testing.T) {
	a := newApp(t)
	ann := a.user("ann")
	a.createRoom(ann, "general")
	photo := jpegWithGPS(t, 64, 48)
	if !bytes.Contains(photo, []byte("GPSLatitude")) {
		t.Fatal("the test photo carries no GPS")
	}
	if resp := a.postFiles(ann, "general", "", true, upload{"IMG_0001.jpg", photo}); resp.StatusCode != http.StatusOK {
		t.Fatalf("post: %d: %s", resp.StatusCode, readBody(resp))
	}
	href, _ := lastMessage(a.page(ann, "/chat/general/")).Find("a[data-testid=attachment-image]").Attr("href")
	for _, path := range []string{href, href + "/thumb"} {
		resp := a.get(ann, path)
		body := []byte(readBody(resp))
		if resp.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("%s: type %q, want image/jpeg", path, resp.Header.Get("Content-Type"))
		}
		for _, leak := range []string{"Exif", "GPSLatitude", "SECRETPHONE"} {
			if bytes.Contains(body, []byte(leak)) {
				t.Errorf("%s still holds %q", path, leak)
			}
		}
		if _, err := jpeg.Decode(bytes.NewReader(body)); err != nil {
			t.Errorf("%s: not a JPEG any more: %v", path, err)
		}
	}
}

// TestUploadRefusesHostileFiles tries the attacks on uploads: each is
// refused with a clear 4xx and leaves nothing stored, or is defused.
func TestUploadRefusesHostileFiles(t *testing.T) {
	a := newApp(t, withFileLimits(256<<10, 0))
	ann := a.user("ann")
	a.createRoom(ann, "general")
	good := pngOf(t, 20, 20)
	jpg := jpegWithGPS(t, 200, 200)
	for _, tc := range []struct {
		name   string
		file   upload
		status int
		words  string
	}{
		{"renamed HTML", upload{"cat.png", []byte("<!DOCTYPE html><html><script>alert(document.cookie)</script></html>")}, 415, "not a file type"},
		{"SVG", upload{"logo.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`)}, 415, "XML or SVG"},
		{"executable", upload{"setup.jpg", append([]byte("MZ\x90\x00\x03"), make([]byte, 600)...)}, 415, "not a file type"},
		{"GIF/JavaScript polyglot", upload{"x.gif", []byte("GIF89a/*\x00\x00\x00\x00*/=alert(1)//;<script>alert(1)</script>")}, 422, "could not be read"},
		{"100,000 × 100,000 PNG header", upload{"bomb.png", pngHeader(100000, 100000)}, 413, "100000 × 100000"},
		{"truncated JPEG", upload{"cut.jpg", jpg[:len(jpg)/2]}, 422, "could not be read"},
		{"over the size limit", upload{"big.txt", bytes.Repeat([]byte("a"), 300<<10)}, 413, "files may be up to 256 KB"},
		{"empty", upload{"nothing.txt", nil}, 400, "is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.countMessages("general")
			resp := a.postFiles(ann, "general", "look", true, upload{"fine.png", good}, tc.file)
			body := readBody(resp)
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.words) {
				t.Fatalf("status %d, body %q; want %d saying %q", resp.StatusCode, body, tc.status, tc.words)
			}
			if a.countMessages("general") != before || a.uploadedBy("ann") != 0 {
				t.Fatalf("something was stored: %d messages (was %d), %d bytes of files", a.countMessages("general"), before, a.uploadedBy("ann"))
			}
			if !strings.Contains(body, `>look</textarea>`) {
				t.Errorf("the text typed is not kept in the form: %s", body)
			}
		})
	}

	// A PNG with a web page appended is an image: it is made anew, and
	// what followed it is gone.
	poly := append(pngOf(t, 8, 8), []byte("<html><script>alert(1)</script></html>")...)
	if resp := a.postFiles(ann, "general", "", true, upload{"poly.png", poly}); resp.StatusCode != http.StatusOK {
		t.Fatalf("PNG+HTML: %d: %s", resp.StatusCode, readBody(resp))
	}
	href, _ := lastMessage(a.page(ann, "/chat/general/")).Find("a[data-testid=attachment-image]").Attr("href")
	resp := a.get(ann, href)
	if body := readBody(resp); strings.Contains(body, "<script") || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("PNG+HTML served as %q with the script: %v", resp.Header.Get("Content-Type"), strings.Contains(body, "<script"))
	}

	// Text that turns into HTML after its start is plain text, downloaded,
	// never rendered.
	note := []byte("just notes\n<html><body><script>alert(1)</script></body></html>")
	if resp := a.postFiles(ann, "general", "", true, upload{"notes.html", note}); resp.StatusCode != http.StatusOK {
		t.Fatalf("text: %d: %s", resp.StatusCode, readBody(resp))
	}
	card := lastMessage(a.page(ann, "/chat/general/")).Find("a[data-testid=attachment-card]")
	href, _ = card.Attr("href")
	resp = a.get(ann, href)
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("text served as %q", ct)
	}
	if d := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment;") {
		t.Errorf("text disposition %q, want attachment", d)
	}
	if got := card.Find(".attachment-meta").Text(); !strings.Contains(got, "text/plain") {
		t.Errorf("card says %q, want its type", got)
	}
}

func TestUploadQuota(t *testing.T) {
	a := newApp(t, withFileLimits(1<<20, 150<<10))
	ann := a.user("ann")
	a.createRoom(ann, "general")
	file := upload{"a.txt", bytes.Repeat([]byte("x"), 100<<10)}
	if resp := a.postFiles(ann, "general", "first", true, file); resp.StatusCode != http.StatusOK {
		t.Fatalf("first: %d", resp.StatusCode)
	}
	resp := a.postFiles(ann, "general", "second", true, file)
	if body := readBody(resp); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "upload quota") {
		t.Fatalf("over quota: %d %q, want 413 naming the quota", resp.StatusCode, body)
	}
	if n := a.countMessages("general"); n != 1 {
		t.Fatalf("%d messages, want the first only", n)
	}
	// Deleting the message frees its files.
	id, _ := lastMessage(a.page(ann, "/chat/general/")).Attr("data-id")
	href, _ := lastMessage(a.page(ann, "/chat/general/")).Find("a[data-testid=attachment-card]").Attr("href")
	if resp := a.postForm(ann, "/messages/"+id+"/delete", nil, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if n := a.uploadedBy("ann"); n != 0 {
		t.Fatalf("%d bytes still stored after the message was deleted", n)
	}
	if resp := a.get(ann, href); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("the deleted message's file answers %d, want 404", resp.StatusCode)
	}
	if resp := a.postFiles(ann, "general", "second", true, file); resp.StatusCode != http.StatusOK {
		t.Fatalf("after the delete: %d", resp.StatusCode)
	}
}

func TestFileAuthorization(t *testing.T) {
	a := newApp(t)
	ann := a.user("ann")
	a.createRoom(ann, "general")
	a.postFiles(ann, "general", "", true, upload{"a.txt", []byte("hello")})
	href, _ := lastMessage(a.page(ann, "/chat/general/")).Find("a[data-testid=attachment-card]").Attr("href")
	if resp := a.get(a.client(), href); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("logged out: %d, want 401", resp.StatusCode)
	}
	for _, path := range []string{"/files/999999", "/files/abc", "/files/-1/thumb"} {
		if resp := a.get(ann, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
	// A revalidation is checked like a first read.
	first := a.get(ann, href)
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+href, nil)
	req.Header.Set("If-None-Match", first.Header.Get("ETag"))
	resp, err := ann.Do(req)
	if err != nil || resp.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidate: %v %v, want 304", err, resp)
	}
	resp.Body.Close()
	req, _ = http.NewRequest(http.MethodGet, a.srv.URL+href, nil) // (the jar added ann's cookie to the first)
	req.Header.Set("If-None-Match", first.Header.Get("ETag"))
	resp, err = a.client().Do(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("revalidate logged out: %v %v, want 401", err, resp)
	}
	resp.Body.Close()
}

func TestFileNamesEscaped(t *testing.T) {
	a := newApp(t)
	ann, bo := a.user("ann"), a.user("bo")
	a.createRoom(ann, "general")
	s := a.openStream(bo, "general", "", "")
	defer s.close()
	name := "<img src=x onerror=alert(1)>\u202egpj.\"exe"
	if resp := a.postFiles(ann, "general", "", true, upload{name, []byte("hello")}); resp.StatusCode != http.StatusOK {
		t.Fatalf("post: %d: %s", resp.StatusCode, readBody(resp))
	}
	live := s.next("message").Data
	page := a.page(bo, "/chat/general/")
	html, _ := page.Html()
	for where, got := range map[string]string{"stream": live, "page": html} {
		if strings.Contains(got, "<img src=x") || strings.Contains(got, "\u202e") {
			t.Errorf("%s: the name is not escaped and cleaned: %s", where, got)
		}
	}
	card := lastMessage(page).Find("[data-testid=attachment-name]")
	if got, want := card.Text(), "<img src=x onerror=alert(1)>gpj.\"exe"; got != want {
		t.Errorf("name shown %q, want %q", got, want)
	}
	href, _ := lastMessage(page).Find("a[data-testid=attachment-card]").Attr("href")
	admin := a.page(a.staff("admin"), "/admin/")
	adminHTML, _ := admin.Html()
	if got := admin.Find("[data-testid=admin-files] a").Text(); got != "<img src=x onerror=alert(1)>gpj.\"exe" || strings.Contains(adminHTML, "<img src=x") {
		t.Errorf("admin: name %q, or not escaped", got)
	}
	d := a.get(bo, href).Header.Get("Content-Disposition")
	kind, params, err := mime.ParseMediaType(d)
	if err != nil || kind != "attachment" || params["filename"] != "<img src=x onerror=alert(1)>gpj.\"exe" {
		t.Errorf("Content-Disposition %q: %v %q %q", d, err, kind, params["filename"])
	}
}

func TestUploadRateLimited(t *testing.T) {
	a := newApp(t, func(c *handlers.AppConfig) {
		c.Handler.RateLimits.UploadPerUser = ratelimit.Limit{Events: 2, Per: time.Hour}
	})
	ann := a.user("ann")
	a.createRoom(ann, "general")
	for i := range 2 {
		if resp := a.postFiles(ann, "general", "", true, upload{"a.txt", []byte("hello")}); resp.StatusCode != http.StatusOK {
			t.Fatalf("upload %d: %d", i+1, resp.StatusCode)
		}
	}
	resp := a.postFiles(ann, "general", "", true, upload{"a.txt", []byte("hello")})
	if body := readBody(resp); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "sending files too fast") || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third upload: %d %q, want 429", resp.StatusCode, body)
	}
	// Text alone is still welcome.
	if resp := a.postForm(ann, "/chat/general/messages", url.Values{"message": {"words"}}, true); resp.StatusCode != http.StatusOK {
		t.Fatalf("text after the upload limit: %d", resp.StatusCode)
	}
}

func TestUploadTooManyAndTooBigRequest(t *testing.T) {
	a := newApp(t, withFileLimits(64<<10, 0))
	ann := a.user("ann")
	a.createRoom(ann, "general")
	var files []upload
	for range 5 {
		files = append(files, upload{"a.txt", []byte("hello")})
	}
	resp := a.postFiles(ann, "general", "", true, files...)
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "at most 4 files") {
		t.Errorf("5 files: %d %q", resp.StatusCode, body)
	}
	resp = a.postFiles(ann, "general", "", false, upload{"big.txt", bytes.Repeat([]byte("a"), 400<<10)})
	if body := readBody(resp); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "Files may be up to 64 KB each") {
		t.Errorf("a request over every limit: %d %q", resp.StatusCode, body)
	}
	if a.countMessages("general") != 0 {
		t.Error("something was stored")
	}
}

// TestUploadAnimatedGIFMoves: an animated GIF posted in a room is shown
// moving: the picture in the message (live and on reload) is the
// animation itself, every frame kept, drawn at the thumbnail's size.
func TestUploadAnimatedGIFMoves(t *testing.T) {
	a := newApp(t)
	ann, bo := a.user("ann"), a.user("bo")
	a.createRoom(ann, "general")
	s := a.openStream(bo, "general", "", "")
	var buf bytes.Buffer
	pal := color.Palette{color.Black, color.White}
	g := &gif.GIF{}
	for i := range 4 {
		fr := image.NewPaletted(image.Rect(0, 0, 960, 540), pal)
		for j := range fr.Pix {
			fr.Pix[j] = uint8(i % 2)
		}
		g.Image, g.Delay = append(g.Image, fr), append(g.Delay, 8)
	}
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	if resp := a.postFiles(ann, "general", "", false, upload{"party.gif", buf.Bytes()}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("post: %d %s", resp.StatusCode, readBody(resp))
	}
	live := fragment(t, s.next("message").Data).Find("img")
	img := lastMessage(a.page(bo, "/chat/general/")).Find("a[data-testid=attachment-image] img")
	for where, el := range map[string]*goquery.Selection{"live": live, "page": img} {
		if w, h := el.AttrOr("width", ""), el.AttrOr("height", ""); w != "480" || h != "270" {
			t.Errorf("%s: drawn %sx%s, want 480x270", where, w, h)
		}
	}
	resp := a.get(bo, img.AttrOr("src", ""))
	if ct := resp.Header.Get("Content-Type"); ct != "image/gif" {
		t.Fatalf("the picture in the message is %s, want the animation", ct)
	}
	shown, err := gif.DecodeAll(resp.Body)
	if err != nil || len(shown.Image) != 4 {
		t.Fatalf("the picture in the message: %v, %d frames, want 4", err, len(shown.Image))
	}
}
