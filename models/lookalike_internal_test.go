package models

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestLookalikeCheckUsesTheIndex: a sign-up's or a new room's look-alike
// check, as the store runs it, reads the few rows its name's skeletons
// index, not every user or room (a scan made 19,000 sign-ups take minutes).
func TestLookalikeCheckUsesTheIndex(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{
		s.lookalikeQuery(skelUsername, "users", "user_id", "username", "username_key", "admin").String(),
		s.lookalikeQuery(skelRoom, "rooms", "room_id", "name", "name_key", "general").String(),
	} {
		rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "; ")
		if !strings.Contains(all, "USING INDEX name_skeletons_lookup") || strings.Contains(all, "SCAN t") {
			t.Errorf("%s\nplan: %s", q, all)
		}
	}
}
