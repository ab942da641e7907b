package models

import (
	"errors"
	"fmt"
	"testing"
)

// TestViolationIsNotReadFromText: an error that merely says what a unique
// violation says is not one; only the driver's code counts.
func TestViolationIsNotReadFromText(t *testing.T) {
	for _, text := range []string{"UNIQUE constraint failed: users.username_key", "ERROR: duplicate key value violates unique constraint (SQLSTATE 23505)"} {
		if v := violationOf(fmt.Errorf("wrapped: %w", errors.New(text))); v != noViolation {
			t.Errorf("%q read as violation %d", text, v)
		}
	}
}
