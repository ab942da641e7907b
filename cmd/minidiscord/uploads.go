package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
)

// uploadFlags registers the limits of attached files. The returned check
// reads them into cfg once the flags are parsed.
func uploadFlags(fset *flag.FlagSet, cfg *config, env *environment) (check func() error) {
	size := fset.String("max-file-size", env.str("MINIDISCORD_MAX_FILE_SIZE", "10MB"), "largest file that can be attached to a message, such as 10MB or 512KB (KB, MB, GB are powers of 1024) (env MINIDISCORD_MAX_FILE_SIZE)")
	quota := fset.String("upload-quota", env.str("MINIDISCORD_UPLOAD_QUOTA", "500MB"), "most that one user's attached files may take in all, such as 500MB; off for no quota (env MINIDISCORD_UPLOAD_QUOTA)")
	return func() error {
		n, err := parseSize(*size)
		if err != nil || n <= 0 {
			return fmt.Errorf("%s %q: want a size such as 10MB", origin(fset, "max-file-size", "MINIDISCORD_MAX_FILE_SIZE"), *size)
		}
		cfg.maxFileSize = n
		if *quota == "off" {
			cfg.uploadQuota = 0
			return nil
		}
		if cfg.uploadQuota, err = parseSize(*quota); err != nil || cfg.uploadQuota <= 0 {
			return fmt.Errorf("%s %q: want a size such as 500MB, or off", origin(fset, "upload-quota", "MINIDISCORD_UPLOAD_QUOTA"), *quota)
		}
		return nil
	}
}

// parseSize reads 1048576, 512KB, 10MB or 2GB (powers of 1024; B, KiB and
// lower case too).
func parseSize(s string) (int64, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}
