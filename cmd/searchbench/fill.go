package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/minidiscord/minidiscord/models"
)

// password is every filled user's password, for query -url.
const password = "searchbench password"

// Rows per INSERT and per transaction, as import-django writes them.
const (
	rowsPerInsert = 100
	rowsPerTx     = 50_000
)

// common are everyday chat words, most frequent first; rarer made-up words
// follow them in the vocabulary (see vocabulary).
var common = strings.Fields(`the to i a and is it you that in we for on this of be can have just so but
not with do my are will at what if me was like get ok all no there up yes out about now one how think
good know there time see go need when then some thanks from here its or would any should also back still
got let sure want work more today new right make look people well really going did way could maybe only
check test build deploy review meeting tomorrow morning fix issue branch merge release server client
database query error log bug feature team design docs update change config user page code tests ci
lunch coffee weekend friday monday call sync notes plan sprint ticket api cache staging production
latency memory cpu disk network metrics alert dashboard incident rollback hotfix patch version upgrade
schema migration index search room message stream event queue worker job cron backup restore export
import token session login password email invite slack channel thread reply mention emoji reaction
image file upload download link preview video screen share demo slides agenda minutes followup
deadline estimate scope priority blocker risk owner done doing todo week month quarter year roadmap`)

// phrases, CJK fragments, accented words and links make some messages.
var (
	phrases  = []string{"pull request", "code review", "on call", "stand up", "release notes", "merge conflict", "build failed", "deploy to production"}
	accented = []string{"café", "naïve", "résumé", "crème brûlée", "São Paulo", "Zürich", "jalapeño", "über", "déjà vu", "façade"}
	japanese = strings.Fields("東京 大阪 会議 明日 デプロイ レビュー お願いします ありがとう 確認しました 資料 共有 今日は リリース テスト です ます について 本番 障害")
	chinese  = strings.Fields("北京 上海 会议 明天 部署 测试 发布 谢谢 请 确认 服务器 数据库 问题 已经 完成")
	korean   = strings.Fields("서울 회의 내일 배포 테스트 감사합니다 확인했습니다 문서 공유 오늘")
	rooms    = strings.Fields("general random dev design ops support announcements frontend backend mobile")
	people   = strings.Fields("ann bob chen dana eli fay gus hana ivan jo")
)

// vocabulary is the common words, then made-up words from syllables: a
// long tail, as real chat has (names, jargon, typos).
func vocabulary(n int, r *rand.Rand) []string {
	syll := strings.Fields("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge go ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo ar er ir or ur an en in on un")
	seen := map[string]bool{}
	out := append([]string(nil), common...)
	for _, w := range out {
		seen[w] = true
	}
	for len(out) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

type filler struct {
	r      *rand.Rand
	vocab  []string
	words  *rand.Zipf // among the common words
	tail   *rand.Zipf // among the made-up ones
	rooms  *rand.Zipf
	users  *rand.Zipf
	nRooms int
}

// message makes one message's text.
func (f *filler) message() string {
	p := f.r.Float64()
	switch {
	case p < 0.01:
		return f.cjk(japanese, "")
	case p < 0.015:
		return f.cjk(chinese, "")
	case p < 0.02:
		return f.cjk(korean, " ")
	}
	n := 3 + f.r.IntN(12) + f.r.IntN(12)
	w := make([]string, 0, n+4)
	for range n {
		w = append(w, f.word())
	}
	if f.r.Float64() < 0.05 {
		w = append(w, phrases[f.r.IntN(len(phrases))])
	}
	if f.r.Float64() < 0.03 {
		w = append(w, accented[f.r.IntN(len(accented))])
	}
	if f.r.Float64() < 0.03 {
		w = append(w, "https://example.com/"+f.word())
	}
	if f.r.Float64() < 0.03 {
		w = append(w, fmt.Sprintf("#%d", 100+f.r.IntN(9900)))
	}
	f.r.Shuffle(len(w)-n/2, func(i, j int) { w[n/2+i], w[n/2+j] = w[n/2+j], w[n/2+i] })
	s := strings.Join(w, " ")
	if f.r.Float64() < 0.3 {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	if f.r.Float64() < 0.4 {
		s += []string{".", "?", "!", " :)", "..."}[f.r.IntN(5)]
	}
	return s
}

// word is a common word six times in seven, else one from the long tail.
func (f *filler) word() string {
	if f.r.IntN(7) > 0 {
		return f.vocab[f.words.Uint64()]
	}
	return f.vocab[len(common)+int(f.tail.Uint64())]
}

func (f *filler) cjk(frags []string, sep string) string {
	n := 3 + f.r.IntN(6)
	w := make([]string, n)
	for i := range w {
		w[i] = frags[f.r.IntN(len(frags))]
	}
	return strings.Join(w, sep)
}

func fill(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "SQLite file or postgres:// URL to fill (created and migrated; should be empty)")
	n := fs.Int("messages", 1_000_000, "messages to write")
	nUsers := fs.Int("users", 500, "users")
	nRooms := fs.Int("rooms", 50, "rooms")
	vocab := fs.Int("vocabulary", 30_000, "distinct words")
	endFlag := fs.String("end", "2026-11-30", "day of the last messages; the first are a year before")
	seed := fs.Uint64("seed", 1, "random seed (the same seed writes the same messages)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" {
		return fmt.Errorf("fill: -db is required")
	}
	end, err := time.Parse(time.DateOnly, *endFlag)
	if err != nil {
		return fmt.Errorf("fill: -end: %w", err)
	}
	end = end.AddDate(0, 0, 1)
	start := end.AddDate(-1, 0, 0)

	began := time.Now()
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	pg := models.IsPostgres(*db)
	conn, err := store.DB().DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()

	r := rand.New(rand.NewPCG(*seed, 42))
	f := &filler{r: r, vocab: vocabulary(*vocab, r), nRooms: *nRooms}
	f.words = rand.NewZipf(r, 1.1, 3, uint64(len(common)-1))
	f.tail = rand.NewZipf(r, 1.05, 10, uint64(len(f.vocab)-len(common)-1))
	f.rooms = rand.NewZipf(r, 1.2, 1, uint64(*nRooms-1))
	f.users = rand.NewZipf(r, 1.1, 2, uint64(*nUsers-1))

	at := func(t time.Time) any {
		if pg {
			return t.UTC()
		}
		return t.UTC().Format("2006-01-02 15:04:05.999999-07:00")
	}
	hash, err := models.HashPassword(password, 4)
	if err != nil {
		return err
	}
	userIDs := make([]int64, *nUsers)
	roomIDs := make([]int64, *nRooms)
	err = inTx(ctx, conn, func(tx *sql.Tx) error {
		for i := range userIDs {
			name := fmt.Sprintf("user%04d", i)
			if i < len(people) {
				name = people[i]
			}
			err := tx.QueryRowContext(ctx, placeholders(pg, "INSERT INTO users (username, username_key, password_hash, is_staff, created_at) VALUES (?, ?, ?, FALSE, ?) RETURNING id"),
				name, name, hash, at(start)).Scan(&userIDs[i])
			if err != nil {
				return fmt.Errorf("user %s: %w", name, err)
			}
		}
		for i := range roomIDs {
			name := fmt.Sprintf("team-%02d", i)
			if i < len(rooms) {
				name = rooms[i]
			}
			err := tx.QueryRowContext(ctx, placeholders(pg, "INSERT INTO rooms (name, name_key, created_at) VALUES (?, ?, ?) RETURNING id"), name, name, at(start)).Scan(&roomIDs[i])
			if err != nil {
				return fmt.Errorf("room %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	seqs := make([]int64, *nRooms)
	step := end.Sub(start) / time.Duration(*n)
	insert := placeholders(pg, "INSERT INTO messages (room_id, user_id, content, created_at, seq, edited_at, deleted_at) VALUES "+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", rowsPerInsert), ", "))
	vals := make([]any, 0, 7*rowsPerInsert)
	written := 0
	for written < *n {
		batch := min(rowsPerTx, *n-written)
		err := inTx(ctx, conn, func(tx *sql.Tx) error {
			stmt, err := tx.PrepareContext(ctx, insert)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for i := range batch {
				k := written + i
				room := int(f.rooms.Uint64())
				seqs[room]++
				t := start.Add(time.Duration(k)*step + time.Duration(r.Int64N(int64(step))))
				content, edited, deleted := f.message(), any(nil), any(nil)
				switch p := r.Float64(); {
				case p < 0.005:
					content, deleted = "", at(t.Add(time.Minute))
				case p < 0.015:
					edited = at(t.Add(2 * time.Minute))
				}
				vals = append(vals, roomIDs[room], userIDs[f.users.Uint64()], content, at(t), seqs[room], edited, deleted)
				if len(vals) == cap(vals) || i == batch-1 {
					var err error
					if len(vals) == cap(vals) {
						_, err = stmt.ExecContext(ctx, vals...)
					} else {
						rows := len(vals) / 7
						_, err = tx.ExecContext(ctx, placeholders(pg, "INSERT INTO messages (room_id, user_id, content, created_at, seq, edited_at, deleted_at) VALUES "+
							strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", rows), ", ")), vals...)
					}
					if err != nil {
						return err
					}
					vals = vals[:0]
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("messages: %w", err)
		}
		written += batch
		fmt.Fprintf(stderr, "\r%d/%d messages, %s", written, *n, time.Since(began).Round(time.Second))
	}
	fmt.Fprintln(stderr)
	err = inTx(ctx, conn, func(tx *sql.Tx) error {
		for i, id := range roomIDs {
			if _, err := tx.ExecContext(ctx, placeholders(pg, "UPDATE rooms SET seq = ? WHERE id = ?"), seqs[i], id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// PostgreSQL's autovacuum would get to it; SQLite servers never run
	// ANALYZE, so neither does this.
	if pg {
		if _, err := conn.ExecContext(ctx, "VACUUM ANALYZE messages"); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "filled %s: %d users, %d rooms, %d messages in %s\n", *db, *nUsers, *nRooms, *n, time.Since(began).Round(100*time.Millisecond))
	return nil
}

func inTx(ctx context.Context, conn *sql.Conn, f func(*sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// placeholders numbers the ? of a statement for PostgreSQL ($1, $2, ...).
func placeholders(pg bool, q string) string {
	if !pg {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
