package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun/driver/sqliteshim"
)

// Importing the original Django app's database (`minidiscord import-django`).
//
// The source is read in one read-only snapshot. Users and rooms are mapped
// to valid, unique names here and written in one transaction with a table
// of which source id became which id here; messages follow in source id
// order, in large transactions of multi-row inserts, each of which also
// advances the source's high-water mark (django_imports). So a second run
// imports only what is new, and a run stopped anywhere, even by kill -9,
// is simply run again.

// DjangoSource is an open database of the original app.
type DjangoSource struct {
	db *sql.DB
	pg bool
	// Name is what the operator gave, with any password hidden.
	Name string
	// CommitEvery is how many messages go in one transaction (0: 50,000).
	CommitEvery int
}

// OpenDjangoSource opens the original's database read-only: an SQLite file,
// or a postgres:// URL.
func OpenDjangoSource(ctx context.Context, dsn string) (*DjangoSource, error) {
	src := &DjangoSource{pg: IsPostgres(dsn), Name: dsn}
	var err error
	if src.pg {
		if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
			if _, has := u.User.Password(); has {
				u.User = url.UserPassword(u.User.Username(), "xxxxx")
			}
			src.Name = u.String()
		}
		src.db, err = sql.Open("pgx", dsn)
	} else {
		if _, serr := os.Stat(dsn); serr != nil {
			return nil, fmt.Errorf("models: django database %s: %w", dsn, serr)
		}
		q := url.Values{}
		q.Set("mode", "ro")
		q.Add("_pragma", "busy_timeout(5000)")
		src.db, err = sql.Open(sqliteshim.ShimName, "file:"+dsn+"?"+q.Encode())
	}
	if err != nil {
		return nil, fmt.Errorf("models: open django database %s: %w", src.Name, err)
	}
	src.db.SetMaxOpenConns(2)
	for _, table := range []string{"auth_user", "chat_room", "chat_message"} {
		var n int64
		if err := src.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE 1 = 0").Scan(&n); err != nil {
			src.db.Close()
			return nil, fmt.Errorf("models: %s has no readable %s table (is it the original mini-discord's database?): %w", src.Name, table, err)
		}
	}
	return src, nil
}

// Close closes the source.
func (src *DjangoSource) Close() error { return src.db.Close() }

// snapshot starts the read-only transaction every read of one run goes
// through, so users, rooms and messages agree even if the original is
// still running.
func (src *DjangoSource) snapshot(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if src.pg {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := src.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("models: read %s: %w", src.Name, err)
	}
	return tx, nil
}

// identity names the source database so that its ids are never confused
// with another's: the time Django applied its first migration there. A copy
// of the same database (a file copy, a pg_dump restore) keeps it.
func (src *DjangoSource) identity(ctx context.Context, tx *sql.Tx) string {
	var applied any
	err := tx.QueryRowContext(ctx, "SELECT applied FROM django_migrations ORDER BY id LIMIT 1").Scan(&applied)
	if err != nil {
		return "django"
	}
	if t, err := anyTime(applied); err == nil {
		return "django:" + t.Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("django:%v", applied)
}

// DjangoImport is what an import does (with -dry-run, would do): every
// source user and room with the name it has here, and the counts.
type DjangoImport struct {
	Source   string
	SourceID string
	DryRun   bool
	Users    []ImportedUser
	Rooms    []ImportedRoom
	// Messages is how many the source has; Pending how many of them a
	// run brings (those after the last one imported before).
	Messages, Pending int64
	// What the run did: messages written, messages left out because
	// their user or room is missing, and texts that had to be repaired
	// (invalid UTF-8 or NUL bytes, which PostgreSQL refuses).
	Imported, Skipped, Repaired int64
}

// ImportedUser is one source account.
type ImportedUser struct {
	SourceID int64
	OldName  string
	// Name is the username here; Why says why it differs from OldName.
	Name string
	Why  []string
	// Staff is Django's is_staff or is_superuser; Active its is_active.
	Staff, Active bool
	// Algorithm is the Django hasher of the password ("" for an unusable
	// password); Checkable whether this app checks it at login.
	Algorithm string
	Checkable bool
	// Earlier: imported by an earlier run (nothing is written again).
	Earlier bool
	ID      int64

	hash   string
	joined time.Time
	alias  bool
}

// Renamed reports whether the account has a new name here.
func (u *ImportedUser) Renamed() bool { return u.Name != u.OldName }

// ImportedRoom is one source room.
type ImportedRoom struct {
	SourceID int64
	OldName  string
	Name     string
	Why      []string
	// Alias: /chat/<old name>/ leads to this room. No alias when another
	// room keeps the old name exactly (a duplicate name in the original).
	Alias   bool
	Earlier bool
	ID      int64
}

// Renamed reports whether the room has a new name here.
func (r *ImportedRoom) Renamed() bool { return r.Name != r.OldName }

// importState is what the target database already holds.
type importState struct {
	userKeys, roomKeys map[string]string // folded name -> name
	roomNames          map[string]bool   // exact room names
	userAliases        map[string]bool
	roomAliases        map[string]bool
	users, rooms       map[int64]int64  // source id -> id here, from earlier runs
	userByID, roomByID map[int64]string // id here -> name
	watermark          int64
}

// querier is a *sql.DB or *sql.Tx. Import statements bind their arguments
// ($1, $2 … which both drivers take) rather than inlining them as Bun
// does, so any byte a Django name may hold reaches the database intact.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func loadImportState(ctx context.Context, q querier, tables map[string]bool, source string) (*importState, error) {
	st := &importState{
		userKeys: map[string]string{}, roomKeys: map[string]string{}, roomNames: map[string]bool{},
		userAliases: map[string]bool{}, roomAliases: map[string]bool{},
		users: map[int64]int64{}, rooms: map[int64]int64{},
		userByID: map[int64]string{}, roomByID: map[int64]string{},
	}
	// each reads one table (if the database has it yet) row by row.
	each := func(table, query string, args []any, dest []any, row func()) error {
		if !tables[table] {
			return nil
		}
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("models: import: read %s: %w", table, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return fmt.Errorf("models: import: read %s: %w", table, err)
			}
			row()
		}
		return rows.Err()
	}
	var id, sid int64
	var name, kind string
	err := errors.Join(
		each("users", "SELECT id, username FROM users", nil, []any{&id, &name}, func() {
			st.userKeys[FoldKey(name)] = name
			st.userByID[id] = name
		}),
		each("rooms", "SELECT id, name FROM rooms", nil, []any{&id, &name}, func() {
			st.roomKeys[FoldKey(name)] = name
			st.roomNames[name] = true
			st.roomByID[id] = name
		}),
		each("user_aliases", "SELECT name FROM user_aliases", nil, []any{&name}, func() { st.userAliases[name] = true }),
		each("room_aliases", "SELECT name FROM room_aliases", nil, []any{&name}, func() { st.roomAliases[name] = true }),
		each("django_import_ids", "SELECT kind, source_id, target_id FROM django_import_ids WHERE source = $1", []any{source}, []any{&kind, &sid, &id}, func() {
			if kind == "user" {
				st.users[sid] = id
			} else {
				st.rooms[sid] = id
			}
		}),
		each("django_imports", "SELECT last_message_id FROM django_imports WHERE source = $1", []any{source}, []any{&id}, func() { st.watermark = id }),
	)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// sourceUser is a row of auth_user.
type sourceUser struct {
	id                       int64
	username, password       string
	staff, superuser, active bool
	joined                   time.Time
}

func readSourceUsers(ctx context.Context, tx *sql.Tx) ([]sourceUser, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, username, password, is_staff, is_superuser, is_active, date_joined FROM auth_user ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("models: read auth_user: %w", err)
	}
	defer rows.Close()
	var out []sourceUser
	for rows.Next() {
		var u sourceUser
		var joined any
		if err := rows.Scan(&u.id, &u.username, &u.password, &u.staff, &u.superuser, &u.active, &joined); err != nil {
			return nil, fmt.Errorf("models: read auth_user: %w", err)
		}
		if u.joined, err = anyTime(joined); err != nil {
			return nil, fmt.Errorf("models: auth_user %d: date_joined: %w", u.id, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

type sourceRoom struct {
	id   int64
	name string
}

func readSourceRooms(ctx context.Context, tx *sql.Tx) ([]sourceRoom, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, name FROM chat_room ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("models: read chat_room: %w", err)
	}
	defer rows.Close()
	var out []sourceRoom
	for rows.Next() {
		var r sourceRoom
		if err := rows.Scan(&r.id, &r.name); err != nil {
			return nil, fmt.Errorf("models: read chat_room: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// anyTime reads a timestamp as either driver returns it: a time.Time, or
// Django's SQLite text ("2024-03-01 09:07:00.000137", UTC as USE_TZ stores it).
func anyTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t.UTC(), nil
	case []byte:
		return parseDjangoTime(string(t))
	case string:
		return parseDjangoTime(t)
	}
	return time.Time{}, fmt.Errorf("unexpected timestamp %T", v)
}

func parseDjangoTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable timestamp %q", s)
}

// plan maps every source user and room to a name here, given what the
// target holds. It is deterministic: the same source and target give the
// same names. Earlier accounts (lower source id) keep their names first.
func plan(src *DjangoSource, sourceID string, users []sourceUser, rooms []sourceRoom, st *importState) *DjangoImport {
	imp := &DjangoImport{Source: src.Name, SourceID: sourceID}
	for _, su := range users {
		u := ImportedUser{SourceID: su.id, OldName: su.username, Staff: su.staff || su.superuser, Active: su.active, hash: su.password, joined: su.joined}
		if UsablePassword(su.password) {
			u.Algorithm, u.Checkable = DjangoHashAlgorithm(su.password)
		} else if algo, _ := DjangoHashAlgorithm(su.password); algo != "" {
			u.Algorithm = algo // a format this app cannot check
		}
		if id, ok := st.users[su.id]; ok {
			u.Earlier, u.ID, u.Name = true, id, st.userByID[id]
			imp.Users = append(imp.Users, u)
			continue
		}
		u.Name, u.Why = fitName(su.username, validUsername, '_', MaxUsername, "user", su.id)
		u.Name, u.Why = unique(u.Name, u.Why, st.userKeys, validUsername, MaxUsername, "account")
		st.userKeys[FoldKey(u.Name)] = u.Name
		u.alias = u.Renamed() && aliasable(su.username) && !st.userAliases[su.username]
		if u.alias {
			st.userAliases[su.username] = true
		}
		imp.Users = append(imp.Users, u)
	}
	for _, sr := range rooms {
		r := ImportedRoom{SourceID: sr.id, OldName: sr.name}
		if id, ok := st.rooms[sr.id]; ok {
			r.Earlier, r.ID, r.Name = true, id, st.roomByID[id]
			imp.Rooms = append(imp.Rooms, r)
			continue
		}
		r.Name, r.Why = fitName(sr.name, validRoomName, '-', MaxRoomName, "room", sr.id)
		r.Name, r.Why = unique(r.Name, r.Why, st.roomKeys, validRoomName, MaxRoomName, "room")
		st.roomKeys[FoldKey(r.Name)] = r.Name
		st.roomNames[r.Name] = true
		imp.Rooms = append(imp.Rooms, r)
	}
	// Aliases once every new name is known: an old name that some room is
	// now called exactly (the first of two rooms named "dup") stays with it.
	for i := range imp.Rooms {
		r := &imp.Rooms[i]
		if r.Earlier || !r.Renamed() || !aliasable(r.OldName) || st.roomNames[r.OldName] || st.roomAliases[r.OldName] {
			continue
		}
		r.Alias = true
		st.roomAliases[r.OldName] = true
	}
	return imp
}

// tableSet lists the tables of the database q is connected to.
func tableSet(ctx context.Context, q querier, pg bool) (map[string]bool, error) {
	query := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if pg {
		query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("models: list tables: %w", err)
	}
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		set[n] = true
	}
	return set, rows.Err()
}

// countMessages counts the source's messages, and those after id.
func countMessages(ctx context.Context, tx *sql.Tx, after int64) (all, pending int64, err error) {
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM chat_message").Scan(&all); err != nil {
		return 0, 0, fmt.Errorf("models: count chat_message: %w", err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM chat_message WHERE id > $1", after).Scan(&pending); err != nil {
		return 0, 0, fmt.Errorf("models: count chat_message: %w", err)
	}
	return all, pending, nil
}

// PlanDjangoImport is a dry run: what ImportDjango would do to the
// database db (a path or URL, as -db), which it only reads. A database
// that does not exist yet is an empty one.
func PlanDjangoImport(ctx context.Context, src *DjangoSource, db string) (*DjangoImport, error) {
	stx, err := src.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer stx.Rollback()
	sourceID := src.identity(ctx, stx)

	var target *sql.DB
	if IsPostgres(db) {
		target, err = sql.Open("pgx", db)
	} else if _, serr := os.Stat(db); serr == nil {
		q := url.Values{}
		q.Set("mode", "ro")
		q.Add("_pragma", "busy_timeout(5000)")
		target, err = sql.Open(sqliteshim.ShimName, "file:"+db+"?"+q.Encode())
	}
	if err != nil {
		return nil, fmt.Errorf("models: open %s: %w", db, err)
	}
	tables := map[string]bool{}
	if target != nil {
		defer target.Close()
		if tables, err = tableSet(ctx, target, IsPostgres(db)); err != nil {
			return nil, err
		}
	}
	// With no target yet, tables is empty and nothing is read.
	st, err := loadImportState(ctx, target, tables, sourceID)
	if err != nil {
		return nil, err
	}
	users, err := readSourceUsers(ctx, stx)
	if err != nil {
		return nil, err
	}
	rooms, err := readSourceRooms(ctx, stx)
	if err != nil {
		return nil, err
	}
	imp := plan(src, sourceID, users, rooms, st)
	imp.DryRun = true
	if imp.Messages, imp.Pending, err = countMessages(ctx, stx, st.watermark); err != nil {
		return nil, err
	}
	return imp, nil
}

// Import batch sizes: rows per INSERT statement (4 bound values each, well
// under SQLite's and PostgreSQL's limits), and rows per transaction, so
// that a commit (an fsync) is paid once per 50,000 messages and a run
// killed midway redoes at most that many.
const importRowsPerInsert = 100

// importRowsPerTx is a variable for the test of an interrupted run.
var importRowsPerTx = 50_000

// ImportDjango imports from src whatever earlier runs have not. progress,
// if not nil, is called as messages are written with how many of this
// run's total are done.
func (s *Store) ImportDjango(ctx context.Context, src *DjangoSource, progress func(done, total int64)) (*DjangoImport, error) {
	stx, err := src.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer stx.Rollback()
	sourceID := src.identity(ctx, stx)
	users, err := readSourceUsers(ctx, stx)
	if err != nil {
		return nil, err
	}
	rooms, err := readSourceRooms(ctx, stx)
	if err != nil {
		return nil, err
	}

	// Users and rooms: planned and written in one transaction, so the
	// names are fitted to what the database holds at that moment.
	var imp *DjangoImport
	var st *importState
	wdb := s.w.DB
	tx, err := wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("models: import: %w", err)
	}
	defer tx.Rollback()
	tables, err := tableSet(ctx, tx, s.isPostgres())
	if err != nil {
		return nil, err
	}
	if st, err = loadImportState(ctx, tx, tables, sourceID); err != nil {
		return nil, err
	}
	imp = plan(src, sourceID, users, rooms, st)
	if err := s.writeUsersAndRooms(ctx, tx, imp); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("models: import users and rooms: %w", err)
	}
	if _, err := s.fillSkeletons(ctx); err != nil {
		return nil, err
	}

	// Messages.
	if imp.Messages, imp.Pending, err = countMessages(ctx, stx, st.watermark); err != nil {
		return nil, err
	}
	userIDs := map[int64]int64{}
	for _, u := range imp.Users {
		if _, ok := st.userByID[u.ID]; ok || !u.Earlier {
			userIDs[u.SourceID] = u.ID
		}
	}
	roomIDs := map[int64]int64{}
	for _, r := range imp.Rooms {
		if _, ok := st.roomByID[r.ID]; ok || !r.Earlier {
			roomIDs[r.SourceID] = r.ID
		}
	}
	if err := s.importMessages(ctx, stx, imp, st.watermark, userIDs, roomIDs, src.CommitEvery, progress); err != nil {
		return imp, err
	}
	return imp, nil
}

func (s *Store) writeUsersAndRooms(ctx context.Context, tx *sql.Tx, imp *DjangoImport) error {
	now := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, "INSERT INTO django_imports (source, last_message_id, updated_at) VALUES ($1, 0, $2) ON CONFLICT (source) DO NOTHING", imp.SourceID, s.timeArg(now)); err != nil {
		return fmt.Errorf("models: import: %w", err)
	}
	mapID := func(kind string, sourceID, id int64) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO django_import_ids (source, kind, source_id, target_id) VALUES ($1, $2, $3, $4)", imp.SourceID, kind, sourceID, id)
		return err
	}
	for i := range imp.Users {
		u := &imp.Users[i]
		if u.Earlier {
			continue
		}
		notice := ""
		if u.Renamed() {
			notice = loginNotice(u)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, username_key, password_hash, is_staff, created_at, inactive, login_notice)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			u.Name, FoldKey(u.Name), u.hash, u.Staff, s.timeArg(u.joined), !u.Active, notice).Scan(&u.ID)
		if err != nil {
			if violationOf(err) == uniqueViolation {
				return fmt.Errorf("models: import user %q as %q: someone took the name meanwhile; run the import again", u.OldName, u.Name)
			}
			return fmt.Errorf("models: import user %q: %w", u.OldName, err)
		}
		if err := mapID("user", u.SourceID, u.ID); err != nil {
			return fmt.Errorf("models: import user %q: %w", u.OldName, err)
		}
		if u.alias {
			if _, err := tx.ExecContext(ctx, "INSERT INTO user_aliases (name, user_id) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", u.OldName, u.ID); err != nil {
				return fmt.Errorf("models: import user %q: %w", u.OldName, err)
			}
		}
	}
	for i := range imp.Rooms {
		r := &imp.Rooms[i]
		if r.Earlier {
			continue
		}
		err := tx.QueryRowContext(ctx, "INSERT INTO rooms (name, name_key, created_at) VALUES ($1, $2, $3) RETURNING id",
			r.Name, FoldKey(r.Name), s.timeArg(now)).Scan(&r.ID)
		if err != nil {
			if violationOf(err) == uniqueViolation {
				return fmt.Errorf("models: import room %q as %q: someone made a room of that name meanwhile; run the import again", r.OldName, r.Name)
			}
			return fmt.Errorf("models: import room %q: %w", r.OldName, err)
		}
		if err := mapID("room", r.SourceID, r.ID); err != nil {
			return fmt.Errorf("models: import room %q: %w", r.OldName, err)
		}
		if r.Alias {
			if _, err := tx.ExecContext(ctx, "INSERT INTO room_aliases (name, room_id) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", r.OldName, r.ID); err != nil {
				return fmt.Errorf("models: import room %q: %w", r.OldName, err)
			}
		}
	}
	return nil
}

// importRow is one message on its way in.
type importRow struct {
	room, user int64
	content    string
	at         time.Time
}

// importMessages streams the source's messages after watermark, in id
// order, into batches of one transaction each.
func (s *Store) importMessages(ctx context.Context, stx *sql.Tx, imp *DjangoImport, watermark int64, userIDs, roomIDs map[int64]int64, commitEvery int, progress func(done, total int64)) error {
	rows, err := stx.QueryContext(ctx, `SELECT id, room_id, user_id, content, "timestamp" FROM chat_message WHERE id > $1 ORDER BY id`, watermark)
	if err != nil {
		return fmt.Errorf("models: read chat_message: %w", err)
	}
	defer rows.Close()
	perTx := importRowsPerTx
	if commitEvery > 0 {
		perTx = commitEvery
	}
	batch := make([]importRow, 0, min(perTx, 65536))
	var done, last int64
	var flushed int64 // source messages read up to the last commit
	flush := func() error {
		// The bar moves as the batch is written, in proportion.
		read, n := done-flushed, int64(len(batch))
		step := func(written int) {
			if progress != nil && n > 0 {
				progress(flushed+read*int64(written)/n, imp.Pending)
			}
		}
		if err := s.writeMessageBatch(ctx, imp.SourceID, batch, last, step); err != nil {
			return err
		}
		imp.Imported += n
		batch, flushed = batch[:0], done
		if progress != nil {
			progress(done, imp.Pending)
		}
		return nil
	}
	for rows.Next() {
		var id, roomID, userID int64
		var content string
		var at any
		if err := rows.Scan(&id, &roomID, &userID, &content, &at); err != nil {
			return fmt.Errorf("models: read chat_message: %w", err)
		}
		last = id
		done++
		room, okRoom := roomIDs[roomID]
		user, okUser := userIDs[userID]
		if !okRoom || !okUser {
			imp.Skipped++
		} else {
			t, err := anyTime(at)
			if err != nil {
				return fmt.Errorf("models: chat_message %d: %w", id, err)
			}
			if !utf8.ValidString(content) || strings.IndexByte(content, 0) >= 0 {
				content = strings.ReplaceAll(strings.ToValidUTF8(content, "\uFFFD"), "\x00", "\uFFFD")
				imp.Repaired++
			}
			batch = append(batch, importRow{room: room, user: user, content: content, at: t})
		}
		if done%int64(perTx) == 0 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("models: read chat_message: %w", err)
	}
	if last > watermark {
		return flush()
	}
	return nil
}

// writeMessageBatch inserts one batch and moves the high-water mark to
// last (the id of the last source message read, written or skipped) in
// the same transaction. step is told how many rows are written so far.
func (s *Store) writeMessageBatch(ctx context.Context, source string, batch []importRow, last int64, step func(written int)) error {
	tx, err := s.w.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("models: import messages: %w", err)
	}
	defer tx.Rollback()
	if s.isPostgres() && len(batch) > 0 {
		// As the message writer does (roomHeads): hold the rooms' rows so
		// each room's ids commit in id order even beside a running server.
		ids := map[int64]bool{}
		var list []string
		for _, m := range batch {
			if !ids[m.room] {
				ids[m.room] = true
				list = append(list, strconv.FormatInt(m.room, 10))
			}
		}
		if _, err := tx.ExecContext(ctx, "SELECT id FROM rooms WHERE id IN ("+strings.Join(list, ",")+") ORDER BY id FOR UPDATE"); err != nil {
			return fmt.Errorf("models: import messages: lock rooms: %w", err)
		}
	}
	var full *sql.Stmt
	written := 0
	for len(batch) > 0 {
		n := min(len(batch), importRowsPerInsert)
		args := make([]any, 0, 4*n)
		for _, m := range batch[:n] {
			args = append(args, m.room, m.user, m.content, s.timeArg(m.at))
		}
		if n == importRowsPerInsert {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, s.insertMessagesSQL(n)); err != nil {
					return fmt.Errorf("models: import messages: %w", err)
				}
				defer full.Close()
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, s.insertMessagesSQL(n), args...)
		}
		if err != nil {
			return fmt.Errorf("models: import messages: %w", err)
		}
		batch = batch[n:]
		written += n
		step(written)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE django_imports SET last_message_id = $1, updated_at = $2 WHERE source = $3", last, s.timeArg(time.Now()), source); err != nil {
		return fmt.Errorf("models: import messages: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("models: import messages: %w", err)
	}
	return nil
}

// insertMessagesSQL is a multi-row INSERT. SQLite gets ? placeholders:
// its driver matches each numbered one against every argument.
func (s *Store) insertMessagesSQL(rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO messages (room_id, user_id, content, created_at) VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		if s.isPostgres() {
			fmt.Fprintf(&b, "($%d, $%d, $%d, $%d)", 4*i+1, 4*i+2, 4*i+3, 4*i+4)
		} else {
			b.WriteString("(?, ?, ?, ?)")
		}
	}
	return b.String()
}

// timeArg is a time as a bound argument, in the form Bun writes (so rows
// imported and rows written by the app read alike): text on SQLite, where
// the driver's own default would be Go's time.String form.
func (s *Store) timeArg(t time.Time) any {
	if s.isPostgres() {
		return t.UTC()
	}
	return t.UTC().Format("2006-01-02 15:04:05.999999-07:00")
}
