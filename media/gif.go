package media

import (
	"bytes"
	"encoding/binary"
	"image/gif"
)

// Limits of an animation kept moving: all its frames are decoded at once,
// so their pixels together are bounded, counted from the file's structure
// before decoding. One beyond them is kept as its first frame, still.
const (
	MaxFrames         = 500
	MaxAnimatedPixels = 25_000_000 // a 480 × 270 GIF of 190 frames
)

// gifFrames walks a GIF's blocks without decoding any picture and returns
// how many frames it has and their pixels together; ok is false if the
// structure is not a GIF's.
func gifFrames(data []byte) (frames int, pixels int64, ok bool) {
	if len(data) < 13 || (string(data[:6]) != "GIF87a" && string(data[:6]) != "GIF89a") {
		return 0, 0, false
	}
	p := 13
	if flags := data[10]; flags&0x80 != 0 {
		p += 3 << ((flags & 7) + 1) // the global colour table
	}
	// skipBlocks skips data sub-blocks up to and past their terminator.
	skipBlocks := func() bool {
		for p < len(data) {
			n := int(data[p])
			p++
			if n == 0 {
				return true
			}
			p += n
		}
		return false
	}
	for p < len(data) {
		switch data[p] {
		case 0x21: // an extension: its label, then sub-blocks
			p += 2
			if !skipBlocks() {
				return 0, 0, false
			}
		case 0x2c: // an image: its descriptor, colour table, LZW data
			if p+10 > len(data) {
				return 0, 0, false
			}
			w := int64(binary.LittleEndian.Uint16(data[p+5:]))
			h := int64(binary.LittleEndian.Uint16(data[p+7:]))
			flags := data[p+9]
			p += 10
			if flags&0x80 != 0 {
				p += 3 << ((flags & 7) + 1)
			}
			p++ // the LZW minimum code size
			if !skipBlocks() {
				return 0, 0, false
			}
			frames++
			pixels += w * h
		case 0x3b: // the trailer
			return frames, pixels, true
		default:
			return 0, 0, false
		}
	}
	return 0, 0, false // no trailer: cut short
}

// vetAnimation keeps an animated GIF moving: every frame decoded and
// encoded anew (what follows the trailer, comments and application data
// other than the loop count are dropped), with no thumbnail: the page
// draws the animation itself at the thumbnail's size. It reports false,
// storing nothing, for a GIF of one frame or one over the limits, which
// is kept still instead.
func vetAnimation(f *File, data []byte) bool {
	frames, pixels, ok := gifFrames(data)
	if !ok || frames < 2 || frames > MaxFrames || pixels > MaxAnimatedPixels {
		return false
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil || len(g.Image) < 2 {
		return false // the first frame may still read: tried as a still
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		return false
	}
	f.Data, f.Type = buf.Bytes(), "image/gif"
	f.Width, f.Height = g.Config.Width, g.Config.Height
	f.ThumbW, f.ThumbH = fit(f.Width, f.Height, ThumbWidth, ThumbHeight)
	return true
}
