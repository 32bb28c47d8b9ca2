package badge

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"
)

// IconSize is the icon's width and height in pixels, the size the badge
// snippets lay out.
const IconSize = 20

// Icon is the badge icon as a PNG: a blue shield with a gold star, drawn
// here in code. It is deliberately not the official police emblem, whose
// artwork the platform hands out to recorded sites itself; the server
// serves this at IconPath. It is drawn on first use, not at start-up: most
// runs of beian never show it.
var Icon = sync.OnceValue(func() []byte { return encodeIcon(drawIcon()) })

// IconDataURL returns Icon as a data: URL, for a badge that must not depend
// on any server (beian badge --record, offline).
func IconDataURL() string {
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(Icon())
}

const iconDataPrefix = "data:image/png;base64,"

// isImageDataURL reports whether s is a base64 PNG data URL, the one
// non-http icon URL allowed: an img src data: URL cannot run script, and the
// base64 alphabet holds nothing HTML would read as markup.
func isImageDataURL(s string) bool {
	if len(s) <= len(iconDataPrefix) || s[:len(iconDataPrefix)] != iconDataPrefix {
		return false
	}
	_, err := base64.StdEncoding.DecodeString(s[len(iconDataPrefix):])
	return err == nil
}

var (
	shieldEdge = color.NRGBA{0x1a, 0x3a, 0x8a, 0xff} // dark blue rim
	shieldFill = color.NRGBA{0x2f, 0x6f, 0xd6, 0xff} // blue field
	starGold   = color.NRGBA{0xf6, 0xc3, 0x1c, 0xff}
)

// drawIcon paints the shield with 4×4 supersampling so its curved edges
// are smooth at 20 px.
func drawIcon() *image.NRGBA {
	const ss = 4
	img := image.NewNRGBA(image.Rect(0, 0, IconSize, IconSize))
	for py := 0; py < IconSize; py++ {
		for px := 0; px < IconSize; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := float64(px) + (float64(sx)+0.5)/ss
					y := float64(py) + (float64(sy)+0.5)/ss
					c, ok := iconColor(x, y)
					if !ok {
						continue
					}
					r += float64(c.R)
					g += float64(c.G)
					b += float64(c.B)
					a++
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / a)),
				G: uint8(math.Round(g / a)),
				B: uint8(math.Round(b / a)),
				A: uint8(math.Round(255 * a / (ss * ss))),
			})
		}
	}
	return img
}

// iconColor is the colour at (x, y) in pixel units, or false outside the
// shield.
func iconColor(x, y float64) (color.NRGBA, bool) {
	if !inShield(x, y, 0) {
		return color.NRGBA{}, false
	}
	if !inShield(x, y, 1.5) {
		return shieldEdge, true
	}
	if inStar(x-10, y-9.2, 5.2, 2.1) {
		return starGold, true
	}
	return shieldFill, true
}

// inShield reports whether (x, y) lies inside the shield shrunk by inset:
// straight sides from the top (y = 1) to the middle (y = 10), then an
// elliptical curve closing to a point at the bottom (y = 19).
func inShield(x, y, inset float64) bool {
	const top, mid, bottom, left, right = 1.0, 10.0, 19.0, 2.5, 17.5
	t, b, l, r := top+inset, bottom-inset*1.4, left+inset, right-inset
	if y < t || y > b || x < l || x > r {
		return false
	}
	if y <= mid {
		return true
	}
	half := (r - l) / 2
	dy := (y - mid) / (b - mid)
	return math.Abs(x-10) <= half*math.Sqrt(1-dy*dy)
}

// inStar reports whether (x, y), relative to the centre, lies in a
// five-pointed star with the given outer and inner radii, one point up.
func inStar(x, y, outer, inner float64) bool {
	var poly [10][2]float64
	for i := range poly {
		rad := outer
		if i%2 == 1 {
			rad = inner
		}
		angle := -math.Pi/2 + float64(i)*math.Pi/5
		poly[i] = [2]float64{rad * math.Cos(angle), rad * math.Sin(angle)}
	}
	// Even-odd ray casting.
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		xi, yi, xj, yj := poly[i][0], poly[i][1], poly[j][0], poly[j][1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

func encodeIcon(img image.Image) []byte {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		panic("badge: encoding the icon: " + err.Error()) // an in-memory image cannot fail to encode
	}
	return buf.Bytes()
}
