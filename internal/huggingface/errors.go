package huggingface

import (
	"errors"
	"fmt"
	"strings"
)

// ErrGated is matched (errors.Is) by errors for 401/403 answers on a model.
var ErrGated = errors.New("model is gated or private")

// ErrNotFound is matched by errors for 404 answers.
var ErrNotFound = errors.New("not found on the Hugging Face Hub")

// gatedHint is the user-facing advice; the wording is part of the contract.
const gatedHint = "accept the license on the Hub and set a token (provider huggingface.token or HF_TOKEN)"

// APIError is a non-successful Hub answer. It never carries request headers,
// so the token cannot leak through it.
type APIError struct {
	StatusCode int
	Method     string
	URL        string
	Model      string
	Message    string
}

func (e *APIError) Error() string {
	switch {
	case e.StatusCode == 401 || e.StatusCode == 403:
		what := "the requested resource"
		if e.Model != "" {
			what = fmt.Sprintf("model %q", e.Model)
		}
		return fmt.Sprintf("Hugging Face Hub denied access to %s (HTTP %d): %s is gated or private; %s",
			what, e.StatusCode, what, gatedHint)
	case e.StatusCode == 404 && e.Model != "":
		return fmt.Sprintf("model %q not found on the Hugging Face Hub (%s %s)", e.Model, e.Method, e.URL)
	}
	msg := fmt.Sprintf("Hugging Face Hub: %s %s: HTTP %d", e.Method, e.URL, e.StatusCode)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Is lets callers test with errors.Is(err, ErrGated) / ErrNotFound.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrGated:
		return e.StatusCode == 401 || e.StatusCode == 403
	case ErrNotFound:
		return e.StatusCode == 404
	}
	return false
}

// redact removes the token from any text that may be shown to users.
func redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "<redacted>")
}

// redactedError wraps transport errors whose text might echo the request.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
