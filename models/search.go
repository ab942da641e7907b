package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// Search indexes (migrations/*/20261202140001_search.up.sql), kept in step
// with every insert, edit and deletion by the database itself:
//
//   - SQLite: messages_fts, an FTS5 index of every message's words
//     (unicode61 with remove_diacritics 2, so café finds cafe), room and
//     author; messages_cjk, an FTS5 trigram index of the messages holding
//     CJK text, which has no spaces between words; and message_days, each
//     day's first and last message id. Triggers on messages keep all three.
//   - PostgreSQL: messages.search, a generated tsvector (configuration
//     md_search: unaccent, then simple) with a GIN index. Each CJK character
//     is indexed as a word of its own, so CJK text is found as a phrase of
//     characters.
//
// The engines never see the search text itself: ParseSearch splits it into
// words, and each word goes into the engine's query quoted, so no text can
// be read as an operator.

// SearchResults is one page of results, newest first.
type SearchResults struct {
	// Messages have their User and Room loaded.
	Messages []Message
	// More says older results exist: ask again with before set to the id
	// of the last message.
	More bool
}

// visibleRooms is the one answer to "which rooms may this user see", as a
// subquery of room ids: visibleTo's rule, so search sees what pages see.
func (s *Store) visibleRooms(userID int64) *bun.SelectQuery {
	return visibleTo(s.db.NewSelect().Model((*Room)(nil)).Column("r.id"), userID)
}

// Search finds the messages userID may see that match q, newest first:
// up to limit of them with an id below before (0: from the newest). A
// filter naming a room the user cannot see or a user who does not exist is
// an *InvalidError for the field "q". An empty query finds nothing.
func (s *Store) Search(ctx context.Context, userID int64, q *SearchQuery, before int64, limit int) (*SearchResults, error) {
	if q.Empty() {
		return &SearchResults{}, nil
	}
	f := searchFilters{visible: s.visibleRooms(userID), before: before}
	if q.Room != "" {
		id, err := s.searchRoom(ctx, userID, q.Room)
		if err != nil {
			return nil, err
		}
		f.roomID = id
	}
	if q.From != "" {
		u, err := s.searchAuthor(ctx, q.From)
		if err != nil {
			return nil, err
		}
		f.userID = u
	}
	f.since, f.until = q.After, q.Before

	var ids []int64
	var err error
	if s.isPostgres() {
		ids, err = s.searchPostgres(ctx, q, f, limit+1)
	} else {
		ids, err = s.searchSQLite(ctx, q, f, limit+1)
	}
	if err != nil {
		return nil, fmt.Errorf("models: search: %w", err)
	}
	res := &SearchResults{More: len(ids) > limit}
	if res.More {
		ids = ids[:limit]
	}
	if len(ids) == 0 {
		return res, nil
	}
	err = s.db.NewSelect().Model(&res.Messages).Relation("User").Relation("Room").
		Where("m.id IN (?)", bun.List(ids)).OrderExpr("m.id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: search: load messages: %w", err)
	}
	return res, nil
}

// searchRoom finds the room an in: filter names, among those the user may
// see: one they may not see is told the same as one that does not exist.
func (s *Store) searchRoom(ctx context.Context, userID int64, name string) (int64, error) {
	if lookupable(name) && utf8.RuneCountInString(name) <= MaxRoomName {
		var id int64
		err := s.db.NewSelect().Model((*Room)(nil)).Column("r.id").
			Where("r.name_key = ?", FoldKey(name)).Where("r.id IN (?)", s.visibleRooms(userID)).Scan(ctx, &id)
		if err == nil {
			return id, nil
		}
		if err = lookup(err, &NotFoundError{What: "room", Name: name}); !errors.Is(err, ErrNotFound) {
			return 0, err
		}
	}
	return 0, searchProblem("There is no room called #" + clip(name, 40) + ".")
}

// searchAuthor finds the user a from: filter names: by name, case ignored,
// or, for "@ann", by the name after the @.
func (s *Store) searchAuthor(ctx context.Context, name string) (int64, error) {
	for _, n := range []string{name, strings.TrimPrefix(name, "@")} {
		if !lookupable(n) || utf8.RuneCountInString(n) > MaxUsername {
			continue
		}
		var id int64
		err := s.db.NewSelect().Model((*User)(nil)).Column("id").Where("username_key = ?", FoldKey(n)).Scan(ctx, &id)
		if err == nil {
			return id, nil
		}
		if err = lookup(err, &NotFoundError{What: "user", Name: n}); !errors.Is(err, ErrNotFound) {
			return 0, err
		}
	}
	return 0, searchProblem("There is no one called " + clip(name, 40) + ".")
}

// searchFilters are a search's conditions other than its text.
type searchFilters struct {
	visible        *bun.SelectQuery
	roomID, userID int64
	before         int64 // the page: ids below this (0: none)
	since, until   time.Time
}

// where adds the filters to a query over "messages AS m" (the page, before,
// is the engine's: each puts it where its index can use it).
func (f searchFilters) where(q *bun.SelectQuery) *bun.SelectQuery {
	q = q.Where("m.deleted_at IS NULL").Where("m.room_id IN (?)", f.visible)
	if f.roomID != 0 {
		q = q.Where("m.room_id = ?", f.roomID)
	}
	if f.userID != 0 {
		q = q.Where("m.user_id = ?", f.userID)
	}
	if !f.since.IsZero() {
		q = q.Where("m.created_at >= ?", f.since.UTC())
	}
	if !f.until.IsZero() {
		q = q.Where("m.created_at < ?", f.until.UTC())
	}
	return q
}

// searchSQLite runs the search on the FTS5 indexes. The newest matches
// come first straight out of an index (FTS5 walks a match in rowid order,
// either way, seeking past what an AND rules out), so a page costs about
// the same whether a word is in ten messages or in half of them. The index
// is the outer loop (CROSS JOIN says so) and the filters are checked on
// each candidate; in: and from: are part of the index query, and before:
// and after: a range of ids it seeks within.
func (s *Store) searchSQLite(ctx context.Context, sq *SearchQuery, f searchFilters, limit int) ([]int64, error) {
	var match, cjk []string
	for _, t := range sq.Terms {
		if t.CJK {
			cjk = append(cjk, t.Words[0])
		} else {
			match = append(match, "content : "+fts5Phrase(t.Words, t.Prefix()))
		}
	}
	q := s.db.NewSelect().ColumnExpr("m.id")
	var rowid string
	switch {
	case len(match) > 0 || len(cjk) == 0 && (f.roomID != 0 || f.userID != 0):
		if f.roomID != 0 {
			match = append(match, fmt.Sprintf(`room : "r%d"`, f.roomID))
		}
		if f.userID != 0 {
			match = append(match, fmt.Sprintf(`author : "u%d"`, f.userID))
		}
		rowid = "messages_fts.rowid"
		q = q.TableExpr("messages_fts").Join("CROSS JOIN messages AS m ON m.id = messages_fts.rowid").
			Where("messages_fts MATCH ?", strings.Join(match, " AND "))
	case len(cjk) > 0:
		cond, arg := cjkCondition(cjk[0])
		rowid = "messages_cjk.rowid"
		q = q.TableExpr("messages_cjk").Join("CROSS JOIN messages AS m ON m.id = messages_cjk.rowid").Where(cond, arg)
		cjk = cjk[1:]
	default:
		rowid = "m.id"
		q = q.TableExpr("messages AS m")
	}
	for _, text := range cjk {
		cond, arg := cjkCondition(text)
		q = q.Where("EXISTS (SELECT 1 FROM messages_cjk WHERE messages_cjk.rowid = m.id AND "+cond+")", arg)
	}
	if !f.since.IsZero() || !f.until.IsZero() {
		lo, hi, err := s.dayIDs(ctx, f.since, f.until)
		if err != nil || hi == 0 {
			return nil, err
		}
		q = q.Where(rowid+" BETWEEN ? AND ?", lo, hi)
	}
	if f.before > 0 {
		q = q.Where(rowid+" < ?", f.before)
	}
	var ids []int64
	err := f.where(q).OrderExpr(rowid+" DESC").Limit(int64(limit)).Scan(ctx, &ids)
	return ids, err
}

// dayIDs bounds the ids of the messages posted in [since, until) (either
// may be zero: no bound) by the first and last ids of the days they fall
// on (message_days). hi is 0 when no message was posted on those days.
func (s *Store) dayIDs(ctx context.Context, since, until time.Time) (lo, hi int64, err error) {
	first, last := "0000-00-00", "9999-99-99"
	if !since.IsZero() {
		first = since.UTC().Format(time.DateOnly)
	}
	if !until.IsZero() {
		last = until.Add(-time.Nanosecond).UTC().Format(time.DateOnly)
	}
	err = s.db.NewRaw("SELECT coalesce(min(first_id), 0), coalesce(max(last_id), 0) FROM message_days WHERE day >= ? AND day <= ?", first, last).
		Scan(ctx, &lo, &hi)
	if err != nil {
		return 0, 0, fmt.Errorf("days %s to %s: %w", first, last, err)
	}
	return lo, hi, nil
}

// cjkCondition finds a run of CJK text in the trigram index: through the
// index when it is three characters or more, else by scanning the CJK
// messages (a trigram index cannot find fewer than three).
func cjkCondition(text string) (cond string, arg string) {
	if utf8.RuneCountInString(text) >= 3 {
		return "messages_cjk MATCH ?", fts5Phrase([]string{text}, false)
	}
	return "instr(messages_cjk.content, ?) > 0", text
}

// fts5Phrase is an FTS5 string: the words in double quotes (any quote in
// them doubled), which FTS5 reads as a phrase and never as an operator; a
// * after it makes the last word a prefix.
func fts5Phrase(words []string, prefix bool) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ReplaceAll(w, `"`, `""`))
	}
	b.WriteByte('"')
	if prefix {
		b.WriteByte('*')
	}
	return b.String()
}

// searchPostgres runs the search on the GIN index of messages.search.
func (s *Store) searchPostgres(ctx context.Context, sq *SearchQuery, f searchFilters, limit int) ([]int64, error) {
	q := s.db.NewSelect().TableExpr("messages AS m").ColumnExpr("m.id")
	if f.until.IsZero() {
		q = q.OrderExpr("m.id DESC")
	} else {
		// Newest first by id, not by the id index: PostgreSQL does not know
		// that ids grow with time, and would walk the index back from the
		// newest message past every one after before:'s day. Sorting the
		// matches makes it find them by created_at or the GIN index.
		q = q.OrderExpr("m.id + 0 DESC")
	}
	if f.before > 0 {
		q = q.Where("m.id < ?", f.before)
	}
	if len(sq.Terms) > 0 {
		q = q.Where("m.search @@ to_tsquery('md_search', ?)", tsQuery(sq.Terms))
	}
	var ids []int64
	err := f.where(q).Limit(int64(limit)).Scan(ctx, &ids)
	return ids, err
}

// tsQuery is a PostgreSQL tsquery: each term a phrase of quoted lexemes
// (a CJK term one lexeme per character, as the index holds them), all of
// them required.
func tsQuery(terms []SearchTerm) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" & ")
		}
		words := t.Words
		if t.CJK {
			words = strings.Split(t.Words[0], "")
		}
		b.WriteByte('(')
		for j, w := range words {
			if j > 0 {
				b.WriteString(" <-> ")
			}
			b.WriteString(tsLexeme(w))
		}
		if t.Prefix() {
			b.WriteString(":*")
		}
		b.WriteByte(')')
	}
	return b.String()
}

// tsLexeme quotes a word for to_tsquery: in single quotes, with quotes
// doubled and backslashes escaped, so it is only ever a word.
func tsLexeme(w string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(w, `\`, `\\`), "'", "''") + "'"
}
