// Package static embeds the stylesheet, the page script and the vendored
// htmx files, so the binary serves them itself.
package static

import "embed"

// FS holds css/, js/ and vendor/.
//
//go:embed css js vendor
var FS embed.FS
