package media

import "testing"

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Users\ann\photo.jpg`:    "photo.jpg",
		"../../etc/passwd":          "passwd",
		"a\u202egpj.exe":            "agpj.exe",
		"line\r\nbreak.txt":         "linebreak.txt",
		"  ":                        "file",
		"..":                        "file",
		"bad\xffutf8.txt":           "badutf8.txt",
		"zero\u200bwidth\u2028.txt": "zerowidth.txt",
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFit(t *testing.T) {
	for _, c := range [][6]int{
		{1200, 600, 480, 360, 480, 240},
		{600, 1200, 480, 360, 180, 360},
		{100, 50, 480, 360, 100, 50},
		{10000, 1, 480, 360, 480, 1},
	} {
		if w, h := fit(c[0], c[1], c[2], c[3]); w != c[4] || h != c[5] {
			t.Errorf("fit(%d, %d) = %d, %d, want %d, %d", c[0], c[1], w, h, c[4], c[5])
		}
	}
}
