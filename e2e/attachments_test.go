package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
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
