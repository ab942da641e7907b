package views

import "github.com/minidiscord/minidiscord/static"

// Asset is the URL of a file in static/, named by its content so browsers
// may keep it for a year: use it for every script, stylesheet and icon,
// e.g. <script src={ Asset("js/app.js") }>.
func Asset(name string) string { return static.Asset(name) }
