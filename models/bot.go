package models

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// Bots are accounts that post by program: a bot account uses an API token
// (Authorization: Bearer), a webhook a secret address. Each is a user with
// IsBot set and no usable password, so its name is taken like anyone's (no
// one can pose as it, nor it as anyone), its posts are found with from:name,
// and it can never log in. Only hashes of the secrets are stored.

// unusablePassword is a hash no password matches (UsablePassword says no).
const unusablePassword = "!bot"

// MaxBotName bounds the name a webhook post may ask to be shown under.
const MaxBotName = 80

// botToken is one bot account's API token.
type botToken struct {
	bun.BaseModel `bun:"table:bot_tokens"`

	TokenHash string    `bun:"token_hash,pk"`
	UserID    int64     `bun:"user_id,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// Webhook is a room's incoming webhook: whoever holds its token posts to
// the room as its bot user, whose name is the webhook's.
type Webhook struct {
	bun.BaseModel `bun:"table:webhooks,alias:wh"`

	ID        int64     `bun:"id,pk,autoincrement"`
	RoomID    int64     `bun:"room_id,notnull"`
	UserID    int64     `bun:"user_id,notnull"`
	TokenHash string    `bun:"token_hash,notnull"`
	CreatedBy int64     `bun:"created_by,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`

	User    *User `bun:"rel:belongs-to,join:user_id=id"`
	Creator *User `bun:"rel:belongs-to,join:created_by=id"`
}

// Name is the webhook's (its bot's) name.
func (w *Webhook) Name() string {
	if w.User == nil {
		return ""
	}
	return w.User.Username
}

// newSecret makes a secret token and the hash that is stored of it.
func newSecret() (token, hash string) {
	token = rand.Text() + rand.Text() // 52 base32 characters, 260 bits
	return token, hashToken(token)
}

// CreateBot makes a bot account and its first API token, returned once.
func (s *Store) CreateBot(ctx context.Context, name string) (*User, string, error) {
	if err := ValidateUsername(name); err != nil {
		return nil, "", err
	}
	u := &User{Username: name, PasswordHash: unusablePassword, IsBot: true}
	token, hash := newSecret()
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.insertUser(ctx, tx, u); err != nil {
			return err
		}
		return insertBotToken(ctx, tx, u.ID, hash)
	})
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

func insertBotToken(ctx context.Context, db bun.IDB, userID int64, hash string) error {
	t := &botToken{TokenHash: hash, UserID: userID, CreatedAt: time.Now().UTC()}
	if _, err := db.NewInsert().Model(t).Exec(ctx); err != nil {
		return fmt.Errorf("models: store bot token: %w", err)
	}
	return nil
}

// ListBots returns the bot accounts (not the webhooks' bots), by name,
// each with whether it has a live token.
func (s *Store) ListBots(ctx context.Context) ([]BotAccount, error) {
	var out []BotAccount
	err := s.db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.id, u.username, u.created_at").
		ColumnExpr("EXISTS (SELECT 1 FROM bot_tokens AS t WHERE t.user_id = u.id) AS has_token").
		Where("u.is_bot").Where("NOT u.webhook_bot").
		OrderExpr("u.username_key").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("models: list bots: %w", err)
	}
	return out, nil
}

// BotAccount is a bot account as the admin lists it.
type BotAccount struct {
	ID        int64     `bun:"id"`
	Username  string    `bun:"username"`
	CreatedAt time.Time `bun:"created_at"`
	HasToken  bool      `bun:"has_token"`
}

// RotateBotToken replaces a bot account's tokens with a new one, returned
// once; revoke (RevokeBotTokens) leaves it none.
func (s *Store) RotateBotToken(ctx context.Context, userID int64) (string, error) {
	token, hash := newSecret()
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.revokeBotTokens(ctx, tx, userID); err != nil {
			return err
		}
		return insertBotToken(ctx, tx, userID, hash)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeBotTokens ends every token of a bot account.
func (s *Store) RevokeBotTokens(ctx context.Context, userID int64) error {
	return s.revokeBotTokens(ctx, s.w, userID)
}

func (s *Store) revokeBotTokens(ctx context.Context, db bun.IDB, userID int64) error {
	n, err := db.NewSelect().Model((*User)(nil)).Where("id = ?", userID).Where("is_bot").Where("NOT webhook_bot").Count(ctx)
	if err != nil {
		return fmt.Errorf("models: find bot: %w", err)
	}
	if n == 0 {
		return &NotFoundError{What: "bot", ID: userID}
	}
	if _, err := db.NewDelete().Model((*botToken)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("models: revoke bot tokens: %w", err)
	}
	return nil
}

// BotByToken is the bot account an API token belongs to, or a
// *NotFoundError.
func (s *Store) BotByToken(ctx context.Context, token string) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).
		Join("JOIN bot_tokens AS t ON t.user_id = u.id").
		Where("t.token_hash = ?", hashToken(token)).Where("u.is_bot").Where("NOT u.webhook_bot").
		Scan(ctx)
	if err != nil {
		return nil, lookup(err, &NotFoundError{What: "bot"})
	}
	return u, nil
}

// CreateWebhook makes a webhook of a room, posting as a new bot user called
// name, and returns it with its token, which is never shown again.
func (s *Store) CreateWebhook(ctx context.Context, roomID, createdBy int64, name string) (*Webhook, string, error) {
	if err := ValidateUsername(name); err != nil {
		return nil, "", err
	}
	u := &User{Username: name, PasswordHash: unusablePassword, IsBot: true, WebhookBot: true}
	token, hash := newSecret()
	wh := &Webhook{RoomID: roomID, TokenHash: hash, CreatedBy: createdBy, CreatedAt: time.Now().UTC(), User: u}
	err := s.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.insertUser(ctx, tx, u); err != nil {
			return err
		}
		wh.UserID = u.ID
		if _, err := tx.NewInsert().Model(wh).Returning("id").Exec(ctx); err != nil {
			if violationOf(err) == foreignKeyViolation {
				return &NotFoundError{What: "room", ID: roomID, Err: err}
			}
			return fmt.Errorf("models: create webhook: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return wh, token, nil
}

// RoomWebhooks lists a room's webhooks, oldest first.
func (s *Store) RoomWebhooks(ctx context.Context, roomID int64) ([]Webhook, error) {
	var hooks []Webhook
	err := s.db.NewSelect().Model(&hooks).Relation("User").Relation("Creator").
		Where("wh.room_id = ?", roomID).OrderExpr("wh.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: list webhooks: %w", err)
	}
	return hooks, nil
}

// WebhookByToken finds webhook id if token is its token. A wrong token and
// a webhook that does not exist (or was revoked) are the same
// *NotFoundError, so the answer tells nothing about which ids exist.
func (s *Store) WebhookByToken(ctx context.Context, id int64, token string) (*Webhook, error) {
	wh := new(Webhook)
	err := s.db.NewSelect().Model(wh).Relation("User").Where("wh.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, lookup(err, &NotFoundError{What: "webhook"})
	}
	if subtle.ConstantTimeCompare([]byte(hashToken(token)), []byte(wh.TokenHash)) != 1 {
		return nil, &NotFoundError{What: "webhook"}
	}
	return wh, nil
}

// RotateWebhook gives a webhook of roomID a new token, returned once; the
// old one stops working.
func (s *Store) RotateWebhook(ctx context.Context, roomID, id int64) (string, error) {
	token, hash := newSecret()
	res, err := s.w.NewUpdate().Model((*Webhook)(nil)).Set("token_hash = ?", hash).
		Where("id = ?", id).Where("room_id = ?", roomID).Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("models: rotate webhook: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", &NotFoundError{What: "webhook", ID: id}
	}
	return token, nil
}

// DeleteWebhook revokes a webhook of roomID. Its bot user stays, with its
// name and its posts.
func (s *Store) DeleteWebhook(ctx context.Context, roomID, id int64) error {
	res, err := s.w.NewDelete().Model((*Webhook)(nil)).Where("id = ?", id).Where("room_id = ?", roomID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("models: delete webhook: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &NotFoundError{What: "webhook", ID: id}
	}
	return nil
}

// CleanBotName checks the name a webhook post asks to be shown under:
// trimmed, at most MaxBotName characters, printable. "" keeps the
// webhook's own name.
func CleanBotName(raw string) (string, error) {
	name := strings.TrimSpace(raw)
	switch {
	case !utf8.ValidString(name):
		return "", invalid("username", "The username is not valid UTF-8.")
	case utf8.RuneCountInString(name) > MaxBotName:
		return "", invalid("username", "The username may be at most 80 characters long.")
	case strings.ContainsFunc(name, func(r rune) bool {
		// Format characters include the bidi controls that would turn
		// the name, and the text after it, around.
		return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
	}):
		return "", invalid("username", "The username may not hold control or format characters, or line breaks.")
	case name != "" && !strings.ContainsFunc(name, visible):
		return "", invalid("username", "The username shows nothing.")
	}
	return name, nil
}
