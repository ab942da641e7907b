package e2e

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// landscape is a w × h picture with something to see in it.
func landscape(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			sky := color.NRGBA{uint8(255 - y*120/h), uint8(120 + y*100/h), 230, 255}
			if y > h*2/3-(x%97)*h/600 {
				sky = color.NRGBA{40, uint8(60 + x*80/w), 70, 255} // hills
			}
			img.Set(x, y, sky)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAttachments: ann attaches a picture with the file input and a text
// file by dropping it on the room; bo sees both arrive live, the picture
// drawn at its known size before it loads, and its link opens it full size.
func TestAttachments(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.say("general", "bo", time.Now().Add(-5*time.Minute), "Anyone got a photo from the offsite?")
	seed.user("ann")

	dir := t.TempDir()
	photo := filepath.Join(dir, "offsite.png")
	if err := os.WriteFile(photo, landscape(t, 960, 600), 0o644); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	bo := b.open(app, "bo")
	bo.do(colorScheme("dark"))
	bo.login()
	bo.enterRoom("general")
	ann := b.open(app, "ann")
	ann.login()
	ann.enterRoom("general")

	// The paperclip: the file waits beside the box until the message goes.
	ann.do(chromedp.SetUploadFiles(chromedp.CSS(`#file-input`), []string{photo}))
	ann.waitFor("the file waiting to go", `[...document.querySelectorAll("[data-testid=pending-file] .pf-name")].map(e => e.textContent).join() === "offsite.png"`, 10*time.Second)
	ann.say("From the offsite, on the hill")

	bo.waitFor("the picture, live", `!!document.querySelector("#messages article:last-of-type img")`, 10*time.Second)
	size := eval[[]string](bo, `(() => { const i = document.querySelector("#messages article:last-of-type img"); return [i.getAttribute("width"), i.getAttribute("height")] })()`)
	if fmt.Sprint(size) != "[480 300]" {
		t.Fatalf("the live picture is drawn at %v, want its thumbnail's 480x300 known before it loads", size)
	}
	bo.waitFor("the thumbnail to load", `(() => { const i = document.querySelector("#messages article:last-of-type img"); return i.complete && i.naturalWidth === 480 })()`, 10*time.Second)
	if h := eval[float64](bo, `document.querySelector("#messages article:last-of-type img").getBoundingClientRect().height`); h < 100 {
		t.Errorf("the picture is %v px high", h)
	}
	if got := eval[string](ann, `document.getElementById("upload-progress")?.hidden ? "hidden" : "shown"`); got != "hidden" {
		t.Errorf("the progress bar is %s after the upload", got)
	}

	// Dropping a file on the room; the message is the file alone.
	eval[bool](ann, `(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(["agenda\n1. photos\n"], "agenda.txt", {type: "text/plain"}));
		const room = document.querySelector(".chat");
		room.dispatchEvent(new DragEvent("dragenter", {dataTransfer: dt, bubbles: true, cancelable: true}));
		room.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
		room.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true })()`)
	ann.waitFor("the dropped file waiting", `document.querySelectorAll("[data-testid=pending-file]").length === 1`, 5*time.Second)
	ann.do(chromedp.Focus(chromedp.ID("message-input")), chromedp.KeyEvent("\r"))
	bo.waitFor("the file card, live", `document.querySelector("#messages article:last-of-type [data-testid=attachment-name]")?.textContent === "agenda.txt"`, 10*time.Second)
	if meta := eval[string](bo, `document.querySelector("#messages article:last-of-type .attachment-meta").textContent`); meta != "17 B · text/plain" {
		t.Errorf("the card says %q", meta)
	}
	ann.waitFor("the pending list emptied", `document.querySelectorAll("[data-testid=pending-file]").length === 0`, 5*time.Second)

	bo.checkContrast("attachments, dark theme")
	bo.screenshot("attachments")

	// A reload draws the same; the picture's link is the full size.
	bo.enterRoom("general")
	href := eval[string](bo, `document.querySelector("[data-testid=attachment-image]").getAttribute("href")`)
	opened := chromedp.WaitNewTarget(bo.ctx, func(info *target.Info) bool { return strings.HasSuffix(info.URL, href) })
	bo.do(chromedp.Click(chromedp.CSS(`[data-testid=attachment-image] img`)))
	var id target.ID
	select {
	case id = <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("clicking the picture opened nothing")
	}
	ctx, cancel := chromedp.NewContext(bo.ctx, chromedp.WithTargetID(id))
	defer cancel()
	full := &tab{t: t, app: app, name: "bo's new tab", ctx: ctx, cancel: cancel}
	full.waitFor("the full picture", `document.images.length === 1 && document.images[0].complete && document.images[0].naturalWidth === 960 && document.images[0].naturalHeight === 600`, 10*time.Second)
}

// TestAnimatedGIFAndBotLive: ann sends an animated GIF; bo sees it arrive
// live as the animation itself (every frame), drawn at the thumbnail's
// size. A bot that follows the room through its API stream is listed
// online for both, tagged BOT.
func TestAnimatedGIFAndBotLive(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.user("ann")
	seed.user("bo")
	_, token, err := app.store.CreateBot(t.Context(), "deploybot")
	if err != nil {
		t.Fatal(err)
	}

	pal := color.Palette{color.RGBA{88, 101, 242, 255}, color.RGBA{235, 69, 158, 255}, color.RGBA{254, 231, 92, 255}}
	g := &gif.GIF{}
	for i := range 3 { // bands of colour that move along
		fr := image.NewPaletted(image.Rect(0, 0, 640, 360), pal)
		for j := range fr.Pix {
			fr.Pix[j] = uint8((j%640/80 + i) % len(pal))
		}
		g.Image, g.Delay = append(g.Image, fr), append(g.Delay, 20)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	party := filepath.Join(t.TempDir(), "party.gif")
	if err := os.WriteFile(party, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	bo, ann := b.open(app, "bo"), b.open(app, "ann")
	bo.login()
	bo.enterRoom("general")
	ann.login()
	ann.enterRoom("general")

	// The bot follows the room as a program would.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, app.url+"/chat/general/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the bot's stream: %v", err)
	}
	defer resp.Body.Close()
	for _, tb := range []*tab{ann, bo} {
		tb.waitFor("the bot online, tagged", `[...document.querySelectorAll("#online-list [data-testid=online-member]")].some(li => li.querySelector(".member-name").textContent === "deploybot" && !!li.querySelector("[data-testid=bot-tag]"))`, 10*time.Second)
	}

	ann.do(chromedp.SetUploadFiles(chromedp.CSS(`#file-input`), []string{party}))
	ann.waitFor("the file waiting to go", `document.querySelectorAll("[data-testid=pending-file]").length === 1`, 10*time.Second)
	ann.say("party time")
	bo.waitFor("the animation, live and loaded", `(() => { const i = document.querySelector("#messages article:last-of-type img"); return !!i && i.complete && i.naturalWidth === 640 })()`, 10*time.Second)
	if size := eval[[]string](bo, `(() => { const i = document.querySelector("#messages article:last-of-type img"); return [i.getAttribute("width"), i.getAttribute("height")] })()`); fmt.Sprint(size) != "[480 270]" {
		t.Errorf("drawn at %v, want 480x270", size)
	}
	// What the page shows is the animation: fetched as bo, every frame.
	eval[bool](bo, `(() => { window.__gif = null; fetch(document.querySelector("#messages article:last-of-type img").src).then(r => r.arrayBuffer()).then(b => { window.__gif = btoa([...new Uint8Array(b)].map(c => String.fromCharCode(c)).join("")) }); return true })()`)
	bo.waitFor("the picture's bytes", `window.__gif !== null`, 10*time.Second)
	data, err := base64.StdEncoding.DecodeString(eval[string](bo, `window.__gif`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the picture in bo's page is not a GIF: %v", err)
	}
	if len(got.Image) != 3 {
		t.Errorf("the picture in bo's page has %d frames, want 3", len(got.Image))
	}
	bo.screenshot("gif-and-bot")
}
