package gguftest

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// NewRegistry starts an in-process OCI registry on 127.0.0.1 and returns its host:port.
func NewRegistry(tb testing.TB) string {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	tb.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// BaseEntrypoint is the entrypoint of the base image PushBase creates.
var BaseEntrypoint = []string{"/usr/bin/llama-server"}

// PushBase pushes a tiny stand-in for a llama.cpp runner image (one layer holding a fake
// /usr/bin/llama-server, an entrypoint, port 8080) and returns its reference by tag.
func PushBase(tb testing.TB, host string) string {
	tb.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	script := []byte("#!/bin/sh\necho fake llama-server \"$@\"\n")
	for _, h := range []*tar.Header{
		{Typeflag: tar.TypeDir, Name: "usr/", Mode: 0o755},
		{Typeflag: tar.TypeDir, Name: "usr/bin/", Mode: 0o755},
		{Typeflag: tar.TypeReg, Name: "usr/bin/llama-server", Mode: 0o755, Size: int64(len(script))},
	} {
		h.ModTime = time.Unix(0, 0)
		if err := tw.WriteHeader(h); err != nil {
			tb.Fatal(err)
		}
	}
	_, _ = tw.Write(script)
	_ = tw.Close()
	layer, err := tarball.LayerFromReader(bytes.NewReader(buf.Bytes()), tarball.WithMediaType(types.OCILayer)) //nolint:staticcheck // SA1019: fine for an in-memory test layer
	if err != nil {
		tb.Fatal(err)
	}
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), layer)
	if err != nil {
		tb.Fatal(err)
	}
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	cfg, err := img.ConfigFile()
	if err != nil {
		tb.Fatal(err)
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", "amd64"
	cfg.Config.Entrypoint = BaseEntrypoint
	cfg.Config.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LLAMA_ARG_HOST=127.0.0.1"}
	cfg.Config.ExposedPorts = map[string]struct{}{"8080/tcp": {}}
	cfg.Config.Labels = map[string]string{"org.opencontainers.image.title": "fake-llama-cpp"}
	img, err = mutate.ConfigFile(img, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ref := host + "/base/llama-cpp:server"
	tag, err := name.NewTag(ref)
	if err != nil {
		tb.Fatal(err)
	}
	if err := remote.Write(tag, img); err != nil {
		tb.Fatal(err)
	}
	return ref
}

// Pull fetches an image by reference from a test registry.
func Pull(tb testing.TB, ref string) v1.Image {
	tb.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		tb.Fatal(err)
	}
	img, err := remote.Image(r)
	if err != nil {
		tb.Fatal(err)
	}
	return img
}

// LayerFile describes one file found in a layer.
type LayerFile struct {
	Head   []byte // first bytes (up to 64)
	SHA256 string
	Size   int64
	Mode   int64
}

// FileInLayer streams layer l looking for path; nil when absent. The file is hashed, not kept.
func FileInLayer(tb testing.TB, l v1.Layer, path string) *LayerFile {
	tb.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		tb.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			tb.Fatal(err)
		}
		if strings.TrimPrefix(h.Name, "./") != strings.TrimPrefix(path, "/") {
			continue
		}
		head := make([]byte, 64)
		n, _ := io.ReadFull(tr, head)
		sum := sha256.New()
		sum.Write(head[:n])
		rest, err := io.Copy(sum, tr)
		if err != nil {
			tb.Fatal(err)
		}
		return &LayerFile{Head: head[:n], SHA256: hex.EncodeToString(sum.Sum(nil)), Size: int64(n) + rest, Mode: h.Mode}
	}
}
