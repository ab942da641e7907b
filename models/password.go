package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// HashPassword hashes a password for storage at a bcrypt cost (0: bcrypt's
// default).
func HashPassword(password string, cost int) (string, error) {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword(prehash(password), cost)
	if err != nil {
		return "", fmt.Errorf("models: hash password: %w", err)
	}
	return string(hash), nil
}

// CheckPassword reports whether password matches a hash HashPassword made.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), prehash(password)) == nil
}

// DummyPasswordHash returns the hash to check a password against when the
// login names no user, made on first use at the cost new passwords get, so
// such a login takes as long as a wrong password and does not tell which
// names exist.
func DummyPasswordHash(cost int) func() string {
	return sync.OnceValue(func() string {
		h, _ := HashPassword("not a real password", cost)
		return h
	})
}

// bcrypt reads at most 72 bytes, so passwords are SHA-256'd first (as
// Django's BCryptSHA256PasswordHasher does): every character counts.
func prehash(password string) []byte {
	sum := sha256.Sum256([]byte(password))
	return []byte(hex.EncodeToString(sum[:]))
}
