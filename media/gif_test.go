package media

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"testing"
)

// animation encodes a GIF of n frames of w × h, each a flat colour of its
// own, 10/100 s apart, looping for ever.
func animation(t *testing.T, n, w, h int) []byte {
	t.Helper()
	pal := color.Palette{color.Black, color.White, color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	g := &gif.GIF{LoopCount: 0}
	for i := range n {
		fr := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		for j := range fr.Pix {
			fr.Pix[j] = uint8(i % len(pal))
		}
		g.Image = append(g.Image, fr)
		g.Delay = append(g.Delay, 10)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestAnimatedGIFKeepsMoving: an animated GIF is stored animated (every
// frame and its delay kept, re-encoded, so bytes after its end are gone)
// and drawn at the thumbnail's size without a thumbnail of its own; one
// with too many frames, or too many pixels in all, is kept as its first
// frame, still, with a thumbnail as any picture; an avatar made from one
// is a still PNG.
func TestAnimatedGIFKeepsMoving(t *testing.T) {
	moving := append(animation(t, 3, 960, 540), []byte("<script>appended</script>")...)
	f, err := Vet("party.gif", moving)
	if err != nil {
		t.Fatal(err)
	}
	if f.Type != "image/gif" || f.Width != 960 || f.Height != 540 || f.Thumb != nil || f.ThumbW != 480 || f.ThumbH != 270 {
		t.Fatalf("stored as %s %d × %d, thumbnail %d bytes drawn %d × %d", f.Type, f.Width, f.Height, len(f.Thumb), f.ThumbW, f.ThumbH)
	}
	g, err := gif.DecodeAll(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 3 || g.Delay[2] != 10 || bytes.Contains(f.Data, []byte("script")) {
		t.Errorf("stored %d frames, delays %v; appended bytes kept: %v", len(g.Image), g.Delay, bytes.Contains(f.Data, []byte("script")))
	}

	for name, data := range map[string][]byte{
		"too many frames": animation(t, MaxFrames+1, 2, 2),
		"too many pixels": animation(t, 2, 4000, 4000), // 32 million in all
	} {
		f, err := Vet("big.gif", data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if f.Type != "image/png" {
			t.Errorf("%s: stored as %s, want its first frame as a PNG", name, f.Type)
		}
	}

	pic, typ, err := Avatar("party.gif", moving)
	if err != nil || typ != "image/png" || !bytes.HasPrefix(pic, []byte("\x89PNG")) {
		t.Errorf("avatar from an animation: %s, %v", typ, err)
	}
}

// TestGIFFramesReadsStructureOnly: the frame count comes from the blocks,
// and a file cut short or with a block that is not a GIF's is not one.
func TestGIFFramesReadsStructureOnly(t *testing.T) {
	data := animation(t, 4, 30, 20)
	if n, px, ok := gifFrames(data); !ok || n != 4 || px != 4*30*20 {
		t.Errorf("gifFrames = %d frames, %d pixels, %v", n, px, ok)
	}
	for name, bad := range map[string][]byte{
		"cut short":     data[:len(data)-5],
		"no trailer":    data[:len(data)-1],
		"not a GIF":     []byte("GIF90a" + string(data[6:])),
		"a stray block": append(append([]byte{}, data[:len(data)-1]...), 0x99, 0x3b),
		"header only":   data[:13],
	} {
		if _, _, ok := gifFrames(bad); ok {
			t.Errorf("%s: read as a GIF", name)
		}
	}
}

func FuzzGIFFrames(f *testing.F) {
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, px, ok := gifFrames(data)
		if ok && (n < 0 || px < 0 || px > int64(n)*65535*65535) {
			t.Errorf("%d frames, %d pixels", n, px)
		}
	})
}
