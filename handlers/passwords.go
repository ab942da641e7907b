package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// bcrypt reads at most 72 bytes, so passwords are SHA-256'd first (as
// Django's BCryptSHA256PasswordHasher does): every character counts.
func prehash(password string) []byte {
	sum := sha256.Sum256([]byte(password))
	return []byte(hex.EncodeToString(sum[:]))
}

// HashPassword hashes a password for storage; cost 0 means bcrypt's default.
func HashPassword(password string, cost int) (string, error) {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword(prehash(password), cost)
	if err != nil {
		return "", err
	}
	return string(hash), nil
}

// CheckPassword reports whether password matches the stored hash.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), prehash(password)) == nil
}

// newDummyHash makes the hash checked when a user does not exist, at the
// cost new passwords get, so a login takes as long for unknown names as for
// wrong passwords.
func newDummyHash(cost int) func() string {
	return sync.OnceValue(func() string {
		h, _ := HashPassword("not a real password", cost)
		return h
	})
}

func (h *Handler) checkDummyPassword(password string) { CheckPassword(h.dummyHash(), password) }
