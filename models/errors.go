package models

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"
)

// The kinds of failure callers tell apart. Each typed error below matches
// its kind with errors.Is, so a caller that only needs the kind need not
// know the type.
var (
	ErrNotFound = errors.New("models: not found")
	ErrTaken    = errors.New("models: taken")
	ErrInvalid  = errors.New("models: invalid")
)

// NotFoundError says what was looked up and is not there.
type NotFoundError struct {
	What string // "room", "message", "user", "session"
	Name string // the name it was looked up by, if any
	ID   int64  // the id it was looked up by, if any
	Err  error  // the driver's answer, if any
}

func (e *NotFoundError) Error() string        { return "models: " + e.subject() + ": not found" }
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }
func (e *NotFoundError) Unwrap() error        { return e.Err }
func (e *NotFoundError) wrap(err error) error { return fmt.Errorf("models: %s: %w", e.subject(), err) }
func (e *NotFoundError) subject() string {
	switch {
	case e.Name != "":
		return e.What + " " + strconv.Quote(e.Name)
	case e.ID != 0:
		return e.What + " " + strconv.FormatInt(e.ID, 10)
	default:
		return e.What
	}
}

// lookup is the error of a one-row lookup: nf when there was no row, else
// err wrapped with what was looked up.
func lookup(err error, nf *NotFoundError) error {
	if errors.Is(err, sql.ErrNoRows) {
		nf.Err = err
		return nf
	}
	return nf.wrap(err)
}

// TakenError says a name that must be unique is in use already.
type TakenError struct {
	Field   string // what is taken: "username"
	Message string // what to tell the user
	Err     error  // the driver's unique violation
}

func (e *TakenError) Error() string        { return "models: " + e.Field + " taken" }
func (e *TakenError) Is(target error) bool { return target == ErrTaken }
func (e *TakenError) Unwrap() error        { return e.Err }

// InvalidError says a value a user gave cannot be accepted, and why, in
// words for that user. A check that finds several problems returns them
// joined (errors.Join); Problems lists them.
type InvalidError struct {
	Field   string // "username", "password", "room", "message", ...
	Message string
}

func (e *InvalidError) Error() string        { return "models: invalid " + e.Field + ": " + e.Message }
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, message string) error { return &InvalidError{Field: field, Message: message} }

// Problems lists every InvalidError in err, in order, however it was
// wrapped or joined.
func Problems(err error) []*InvalidError {
	var out []*InvalidError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *InvalidError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, err := range e.Unwrap() {
				walk(err)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
	return out
}

// violation is the kind of constraint a write broke.
type violation int

const (
	noViolation violation = iota
	uniqueViolation
	foreignKeyViolation
)

// violationOf reads the constraint a driver error reports from its code,
// not its text: SQLSTATE for PostgreSQL, the extended result code for
// SQLite (sqliteViolation, by driver).
func violationOf(err error) violation {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return uniqueViolation
		case "23503": // foreign_key_violation
			return foreignKeyViolation
		}
		return noViolation
	}
	return sqliteViolation(err)
}
