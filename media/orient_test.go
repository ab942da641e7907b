package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// withOrientation puts an EXIF block with the orientation tag o into a
// JPEG, as a phone camera writes it, right after the start marker.
func withOrientation(t *testing.T, jpg []byte, o uint16) []byte {
	t.Helper()
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8))       // IFD0 offset
	binary.Write(&tiff, binary.BigEndian, uint16(1))       // one entry
	binary.Write(&tiff, binary.BigEndian, uint16(0x0112))  // Orientation
	binary.Write(&tiff, binary.BigEndian, uint16(3))       // SHORT
	binary.Write(&tiff, binary.BigEndian, uint32(1))       // one value
	binary.Write(&tiff, binary.BigEndian, [2]uint16{o, 0}) // in place
	binary.Write(&tiff, binary.BigEndian, uint32(0))       // no next IFD
	app1 := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2]) // SOI
	out.Write([]byte{0xff, 0xe1})
	binary.Write(&out, binary.BigEndian, uint16(len(app1)+2))
	out.Write(app1)
	out.Write(jpg[2:])
	return out.Bytes()
}

// TestPhotosTurnedUpright: a JPEG whose camera says "turn me" (EXIF
// orientation 6: 90° clockwise, 8: counter-clockwise, 3: upside down) is
// stored upright, since its EXIF is dropped; one without the tag, or with
// 1, is stored as it is.
func TestPhotosTurnedUpright(t *testing.T) {
	// 200 × 100, white, with a red block in the top-left corner.
	src := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for y := range 100 {
		for x := range 200 {
			c := color.RGBA{255, 255, 255, 255}
			if x < 40 && y < 40 {
				c = color.RGBA{255, 0, 0, 255}
			}
			src.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	plain := buf.Bytes()
	for _, c := range []struct {
		name string
		data []byte
		w, h int
		redX int // where the red corner is now: x, y of a point inside it
		redY int
	}{
		{"no EXIF", plain, 200, 100, 10, 10},
		{"orientation 1", withOrientation(t, plain, 1), 200, 100, 10, 10},
		{"orientation 6", withOrientation(t, plain, 6), 100, 200, 90, 10},
		{"orientation 8", withOrientation(t, plain, 8), 100, 200, 10, 190},
		{"orientation 3", withOrientation(t, plain, 3), 200, 100, 190, 90},
	} {
		f, err := Vet("photo.jpg", c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if f.Width != c.w || f.Height != c.h || f.Type != "image/jpeg" {
			t.Errorf("%s: stored %d × %d %s, want %d × %d", c.name, f.Width, f.Height, f.Type, c.w, c.h)
			continue
		}
		img, err := jpeg.Decode(bytes.NewReader(f.Data))
		if err != nil {
			t.Fatal(err)
		}
		if r, g, _, _ := img.At(c.redX, c.redY).RGBA(); r < 0xc000 || g > 0x4000 {
			t.Errorf("%s: the red corner is not at (%d, %d)", c.name, c.redX, c.redY)
		}
		if bytes.Contains(f.Data, []byte("Exif")) {
			t.Errorf("%s: the stored photo still has its EXIF", c.name)
		}
	}
}
