package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/minidiscord/minidiscord/models"
)

// changePassword sets a user's password, as Django's changepassword: how
// staff give a new password to someone who lost theirs, or to an imported
// account whose password could not come along. It ends their sessions.
func changePassword(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	env := &environment{getenv: getenv}
	var username string
	fset := flag.NewFlagSet("minidiscord changepassword", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.StringVar(&username, "username", getenv("MINIDISCORD_CHANGEPASSWORD_USERNAME"), "the user whose password to set (required) (env MINIDISCORD_CHANGEPASSWORD_USERNAME)")
	checkCommon := commonFlags(fset, &cfg, env)
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if err := checkCommon(); err != nil {
		return err
	}
	if username == "" {
		return errors.New("-username: name the user")
	}
	store, err := models.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.UserByUsername(ctx, username)
	if errors.Is(err, models.ErrNotFound) {
		return fmt.Errorf("there is no user called %q", username)
	} else if err != nil {
		return err
	}
	password, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	if err := models.ValidatePassword(password, u.Username); err != nil {
		return errors.New(problemWords(err))
	}
	hash, err := models.HashPassword(password, cfg.bcryptCost)
	if err != nil {
		return err
	}
	if err := store.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Password changed successfully for user %s.\n", u.Username)
	return nil
}
