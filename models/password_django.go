package models

import (
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/scrypt"
)

// Accounts imported from the original Django app keep the hash Django
// wrote, "<algorithm>$<fields>", until their first good login here, which
// replaces it with this app's own. These are Django's hashers; each check
// reads its parameters from the hash, within bounds, so a hash cannot make
// a login burn unbounded CPU or memory.

// Bounds on the cost parameters a stored hash may ask for.
const (
	maxPBKDF2Iterations = 10_000_000
	maxArgon2MemoryKiB  = 1 << 20 // 1 GiB
	maxArgon2Time       = 100
	maxScryptN          = 1 << 20
)

// UsablePassword reports whether a stored hash can ever match a password:
// not Django's mark of an unusable password ("!…", or empty), and not a
// Django format that cannot be checked here (crypt). Such an account needs
// a new password from staff (minidiscord changepassword).
func UsablePassword(hash string) bool {
	if hash == "" || strings.HasPrefix(hash, "!") {
		return false
	}
	if algo, ok := djangoAlgorithm(hash); ok {
		_, checkable := djangoCheckers[algo]
		return checkable
	}
	return true
}

// DjangoHashAlgorithm names the Django hasher that wrote hash ("" when it is
// not a Django hash), and whether this app can check it.
func DjangoHashAlgorithm(hash string) (algorithm string, checkable bool) {
	algo, ok := djangoAlgorithm(hash)
	if !ok {
		return "", false
	}
	_, checkable = djangoCheckers[algo]
	return algo, checkable
}

// VerifyPassword checks a password against any stored hash: this app's own,
// or one Django wrote for an imported account. rehash is true when it
// matched a Django hash, which the caller then replaces with HashPassword's.
func VerifyPassword(hash, password string) (ok, rehash bool) {
	if ok, django := CheckDjangoPassword(hash, password); django {
		return ok, ok
	}
	return CheckPassword(hash, password), false
}

// CheckDjangoPassword reports whether password matches hash when hash is one
// Django wrote (django is true); for any other hash (this app's own) django
// is false and the caller checks it as usual.
func CheckDjangoPassword(hash, password string) (ok, django bool) {
	algo, isDjango := djangoAlgorithm(hash)
	if !isDjango {
		return false, false
	}
	check, known := djangoCheckers[algo]
	if !known {
		return false, true
	}
	return check(hash, password), true
}

// djangoAlgorithm finds the algorithm of a hash in Django's format. This
// app's own hashes are bcrypt's "$2a$…", which no Django algorithm name
// starts like; Django's unsalted MD5 is bare hex.
func djangoAlgorithm(hash string) (string, bool) {
	if len(hash) == 32 && isLowerHex(hash) {
		return "unsalted_md5", true
	}
	algo, _, found := strings.Cut(hash, "$")
	if !found || algo == "" {
		return "", false
	}
	for _, r := range algo {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return "", false
		}
	}
	return algo, true
}

var djangoCheckers = map[string]func(hash, password string) bool{
	"pbkdf2_sha256": func(h, p string) bool { return checkPBKDF2(h, p, sha256.New) },
	"pbkdf2_sha1":   func(h, p string) bool { return checkPBKDF2(h, p, sha1.New) },
	"argon2":        checkArgon2,
	"bcrypt_sha256": checkBcryptSHA256,
	"bcrypt":        checkBcrypt,
	"scrypt":        checkScrypt,
	"md5":           func(h, p string) bool { return checkSalted(h, p, md5.New) },
	"sha1":          func(h, p string) bool { return checkSalted(h, p, sha1.New) },
	// Bare hex; "md5$$<hex>" and "sha1$$<hex>" are the salted ones with
	// an empty salt.
	"unsalted_md5": func(h, p string) bool {
		sum := md5.Sum([]byte(p))
		return equal(h, hex.EncodeToString(sum[:]))
	},
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// checkPBKDF2: pbkdf2_<digest>$<iterations>$<salt>$<base64 key>. The
// standard library's crypto/pbkdf2 (x/crypto/pbkdf2 is now a frozen wrapper
// of it).
func checkPBKDF2(encoded, password string, h func() hash.Hash) bool {
	f := strings.Split(encoded, "$")
	if len(f) != 4 {
		return false
	}
	iter, err := strconv.Atoi(f[1])
	if err != nil || iter < 1 || iter > maxPBKDF2Iterations {
		return false
	}
	want, err := base64.StdEncoding.DecodeString(f[3])
	if err != nil || len(want) == 0 {
		return false
	}
	got, err := pbkdf2.Key(h, password, []byte(f[2]), iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// checkArgon2: argon2$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<key>,
// salt and key unpadded base64 (argon2-cffi's encoding). Django's salt is
// text; the hash carries its bytes.
func checkArgon2(encoded, password string) bool {
	f := strings.Split(encoded, "$")
	if len(f) != 6 || f[2] != "v=19" {
		return false // only version 0x13 is implemented by x/crypto/argon2
	}
	var m, t, p int
	for kv := range strings.SplitSeq(f[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return false
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			p = n
		default:
			return false
		}
	}
	if m < 1 || m > maxArgon2MemoryKiB || t < 1 || t > maxArgon2Time || p < 1 || p > 255 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(f[4])
	want, err2 := base64.RawStdEncoding.DecodeString(f[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	var got []byte
	switch f[1] {
	case "argon2id":
		got = argon2.IDKey([]byte(password), salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	case "argon2i":
		got = argon2.Key([]byte(password), salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	default:
		return false
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// checkBcryptSHA256: bcrypt_sha256$<bcrypt hash of the hex SHA-256 of the
// password>, which is this app's own scheme behind a prefix.
func checkBcryptSHA256(encoded, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(strings.TrimPrefix(encoded, "bcrypt_sha256$")), prehash(password)) == nil
}

// checkBcrypt: bcrypt$<bcrypt hash of the password>. Python's bcrypt reads
// the first 72 bytes only, so the check does too.
func checkBcrypt(encoded, password string) bool {
	b := []byte(password)
	if len(b) > 72 {
		b = b[:72]
	}
	return bcrypt.CompareHashAndPassword([]byte(strings.TrimPrefix(encoded, "bcrypt$")), b) == nil
}

// checkScrypt: scrypt$<salt>$<N>$<r>$<p>$<base64 key> (Django 4.0+).
func checkScrypt(encoded, password string) bool {
	f := strings.Split(encoded, "$")
	if len(f) != 6 {
		return false
	}
	n, err1 := strconv.Atoi(f[2])
	r, err2 := strconv.Atoi(f[3])
	p, err3 := strconv.Atoi(f[4])
	if err1 != nil || err2 != nil || err3 != nil || n < 2 || n > maxScryptN || r < 1 || r > 64 || p < 1 || p > 64 {
		return false
	}
	want, err := base64.StdEncoding.DecodeString(f[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got, err := scrypt.Key([]byte(password), []byte(f[1]), n, r, p, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// checkSalted: md5$<salt>$<hex digest of salt+password> (and sha1$…),
// Django's oldest formats.
func checkSalted(encoded, password string, h func() hash.Hash) bool {
	f := strings.Split(encoded, "$")
	if len(f) != 3 {
		return false
	}
	d := h()
	d.Write([]byte(f[1] + password))
	return equal(f[2], hex.EncodeToString(d.Sum(nil)))
}

func isLowerHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
