package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
)

// TestBackupAndExportWhileServing backs up and exports the database while
// four clients post, restores the backup, serves it, and finds in both
// every post acknowledged before they began.
func TestBackupAndExportWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "chat.db")
	bin := buildBinary(t)
	s := startServer(t, bin, db)
	c := s.login(t, "alice")
	for _, room := range []string{"general", "random"} {
		s.createRoom(t, c, room)
	}

	var mu sync.Mutex
	var acked []string
	reached := map[int]chan struct{}{50: make(chan struct{}), 100: make(chan struct{})}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for p := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				text := fmt.Sprintf("p%d-%d", p, i)
				status, err := s.post(c, []string{"general", "random"}[p%2], text)
				if err != nil || status != http.StatusOK {
					continue
				}
				mu.Lock()
				acked = append(acked, text)
				if ch, ok := reached[len(acked)]; ok {
					close(ch)
				}
				mu.Unlock()
			}
		})
	}
	defer func() { close(stop); wg.Wait() }()
	<-reached[50]
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()

	backupFile, exportFile := filepath.Join(dir, "backup.db"), filepath.Join(dir, "export.jsonl")
	if out, err := runCmd(t, "backup", "-db", db, "-to", backupFile); err != nil || !strings.Contains(out, "Backed up") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if out, err := runCmd(t, "export", "-db", db, "-to", exportFile); err != nil || !strings.Contains(out, "Exported") {
		t.Fatalf("export: %v\n%s", err, out)
	}
	<-reached[100] // posts went on meanwhile
	mu.Lock()
	t.Logf("%d posts acknowledged before the backup, %d by the end", len(before), len(acked))
	mu.Unlock()

	// A second backup to the same file is refused, not overwritten.
	if _, err := runCmd(t, "backup", "-db", db, "-to", backupFile); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("backup over an existing file: %v", err)
	}

	// Restore: the backup file becomes the database of a new server.
	restored := filepath.Join(dir, "restored.db")
	b, err := os.ReadFile(backupFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s2 := startServer(t, bin, restored)
	c2 := s2.login(t, "bob")
	if resp, err := c2.Get(s2.base + "/chat/general/"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("restored server: %v %v", resp, err)
	}
	stored := map[string]int{}
	for _, room := range []string{"general", "random"} {
		for _, m := range storedMessages(t, restored, room) {
			stored[m.Content]++
		}
	}
	for _, text := range before {
		if stored[text] != 1 {
			t.Errorf("acknowledged post %q is %d times in the restored backup", text, stored[text])
		}
	}

	// The export: one snapshot, whole, every earlier post in it.
	recs := readExport(t, exportFile)
	exported := map[string]bool{}
	for _, r := range recs {
		if r["type"] == "message" {
			exported[r["content"].(string)] = true
		}
	}
	for _, text := range before {
		if !exported[text] {
			t.Errorf("acknowledged post %q is not in the export", text)
		}
	}
}

// readExport parses an export file and checks its shape: a header, rooms,
// users, messages that name rooms and users above them, ids rising, an end
// line whose counts match, and no password hash anywhere.
func readExport(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v: %s", len(recs)+1, err, sc.Text())
		}
		for k := range r {
			if strings.Contains(k, "password") {
				t.Errorf("line %d has %q", len(recs)+1, k)
			}
		}
		recs = append(recs, r)
	}
	if len(recs) < 2 || recs[0]["type"] != "minidiscord-export" || recs[0]["version"] != 1.0 || recs[len(recs)-1]["type"] != "end" {
		t.Fatalf("export without header or end: %d lines", len(recs))
	}
	rooms, users := map[float64]bool{}, map[float64]bool{}
	counts := map[string]float64{}
	var lastMsg float64
	rank, last := map[string]int{"room": 0, "user": 1, "message": 2, "attachment": 3}, 0
	for _, r := range recs[1 : len(recs)-1] {
		typ := r["type"].(string)
		counts[typ]++
		id := r["id"].(float64)
		switch typ {
		case "room":
			rooms[id] = true
		case "user":
			users[id] = true
		case "message":
			if !rooms[r["room_id"].(float64)] || !users[r["user_id"].(float64)] || id <= lastMsg {
				t.Errorf("message %v: room %v user %v (after message %v)", id, r["room_id"], r["user_id"], lastMsg)
			}
			lastMsg = id
		}
		if rank[typ] < last {
			t.Errorf("a %s after the %ss", typ, []string{"room", "user", "message", "attachment"}[last])
		}
		last = rank[typ]
	}
	end := recs[len(recs)-1]
	if end["rooms"] != counts["room"] || end["users"] != counts["user"] || end["messages"] != counts["message"] {
		t.Errorf("end line %v, counted %v", end, counts)
	}
	return recs
}

// TestExportOneRoom exports one imported room: its messages, and only the
// users who wrote them.
func TestExportOneRoom(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "chat.db")
	if out, err := runCmd(t, "import-django", "-from", modelstest.DjangoSQLite(t), "-db", db); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "general-2.jsonl")
	if out, err := runCmd(t, "export", "-db", db, "-room", "general-2", "-to", file); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	recs := readExport(t, file)
	if recs[0]["room"] != "General-2" {
		t.Errorf("header %v", recs[0])
	}
	authors := map[float64]bool{}
	var names []string
	for _, r := range recs {
		switch r["type"] {
		case "message":
			authors[r["user_id"].(float64)] = true
		case "user":
			names = append(names, r["username"].(string))
		}
	}
	end := recs[len(recs)-1]
	if end["rooms"] != 1.0 || end["messages"] != 5.0 || end["users"] != float64(len(authors)) || !strings.Contains(strings.Join(names, " "), "BOB-2") {
		t.Errorf("one room: end %v, users %v", end, names)
	}

	// To standard output, and the mistakes an operator makes.
	out, err := runCmd(t, "export", "-db", db, "-room", "etc", "-to", "-")
	if err != nil || !strings.HasPrefix(out, `{"type":"minidiscord-export"`) || !strings.Contains(out, `{"type":"end","rooms":1`) {
		t.Errorf("export to stdout: %v\n%.300s", err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "-db", db, "-room", "nowhere", "-to", filepath.Join(dir, "x")}, `no room called "nowhere"`},
		{[]string{"export", "-db", db, "-to", file}, "exists already"},
		{[]string{"export", "-db", db}, "-to"},
		{[]string{"export", "-db", filepath.Join(dir, "missing.db"), "-to", filepath.Join(dir, "y")}, "no such file"},
	} {
		if _, err := runCmd(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error about %q", tc.args, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.partial")); err == nil {
		t.Error("a failed export left its partial file")
	}
}

// TestBackupPostgresPrintsPgDump: on PostgreSQL, backup prints the pg_dump
// command, which works as printed, and writes nothing itself.
func TestBackupPostgresPrintsPgDump(t *testing.T) {
	dsn := modelstest.PostgresDSN(t)
	s, err := models.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	file := filepath.Join(t.TempDir(), "chat's.dump")
	out, err := runCmd(t, "backup", "-db", dsn, "-to", file)
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("backup on PostgreSQL: err = %v", err)
	}
	cmdline := regexp.MustCompile(`(?m)^\s+(pg_dump .*)$`).FindStringSubmatch(out)
	if cmdline == nil || !strings.Contains(cmdline[1], "--schema='t_") || strings.Contains(cmdline[1], "search_path") {
		t.Fatalf("no pg_dump command with the schema:\n%s", out)
	}
	if _, err := os.Stat(file); err == nil {
		t.Fatal("backup wrote the file itself")
	}
	withPassword, _ := runCmd(t, "backup", "-db", "postgres://u:s3cret@127.0.0.1:1/x", "-to", file)
	if strings.Contains(withPassword, "s3cret") {
		t.Errorf("the command shows the password:\n%s", withPassword)
	}
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump is not installed: the printed command is not run")
	}
	if b, err := exec.Command("sh", "-c", cmdline[1]).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmdline[1], err, b)
	}
	list, err := exec.Command("pg_restore", "--list", file).CombinedOutput()
	if err != nil || !strings.Contains(string(list), "TABLE DATA") || !strings.Contains(string(list), "messages") {
		t.Errorf("pg_restore --list: %v\n%s", err, list)
	}
}
