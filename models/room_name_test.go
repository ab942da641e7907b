package models_test

import (
	"testing"

	"github.com/minidiscord/minidiscord/models"
)

func TestCleanRoomName(t *testing.T) {
	for typed, want := range map[string]string{
		"general":              "general",
		"#general":             "general",
		"  #general  ":         "general",
		"# general":            "general",
		"##general":            "general",
		"my room":              "my-room",
		"my   big\troom":       "my-big-room",
		"my-room":              "my-room",
		"a#b":                  "a#b", // only a leading # goes; the rest is for the validator to refuse
		"":                     "",
		"#":                    "",
		"   ":                  "",
		"caf\u00e9 cr\u00e8me": "caf\u00e9-cr\u00e8me",
	} {
		if got := models.CleanRoomName(typed); got != want {
			t.Errorf("CleanRoomName(%q) = %q, want %q", typed, got, want)
		}
	}
}
