package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/minidiscord/minidiscord/models"
)

// createSuperuser makes a staff user, as Django's createsuperuser: the
// password is asked twice on a terminal, or read as one line otherwise.
func createSuperuser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	var username string
	fset := flag.NewFlagSet("minidiscord createsuperuser", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.StringVar(&username, "username", "", "name of the staff user to create (required)")
	commonFlags(fset, &cfg, getenv)
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if msg := models.ValidateUsername(username); msg != "" {
		return fmt.Errorf("-username: %s", msg)
	}

	password, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	if msgs := models.ValidatePassword(password, username); len(msgs) > 0 {
		return errors.New(strings.Join(msgs, " "))
	}

	store, err := models.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer store.Close()
	hash, err := models.HashPassword(password, cfg.bcryptCost)
	if err != nil {
		return err
	}
	if _, err := store.CreateUser(ctx, username, hash, true); err != nil {
		if errors.Is(err, models.ErrUsernameTaken) {
			return errors.New("that username is already taken")
		}
		return err
	}
	fmt.Fprintf(stdout, "Superuser %s created successfully.\n", username)
	return nil
}

func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Password: ")
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stdout, "Password (again): ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", err
		}
		if string(p1) != string(p2) {
			return "", errors.New("the passwords didn't match")
		}
		return string(p1), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("reading the password from standard input: expected one line")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
