package cost

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestGPUKeyReadsEverySpellingClustersUse(t *testing.T) {
	cases := map[string]string{
		// GPU Feature Discovery nvidia.com/gpu.product
		"NVIDIA-H100-80GB-HBM3": "h100", "NVIDIA-H200": "h200", "NVIDIA-B200": "b200", "NVIDIA-A100-SXM4-80GB": "a100-80gb",
		"NVIDIA-A100-SXM4-40GB": "a100-40gb", "NVIDIA-L40S": "l40s", "NVIDIA-L4": "l4", "NVIDIA-A10G": "a10g",
		// GKE cloud.google.com/gke-accelerator
		"nvidia-h100-80gb": "h100", "nvidia-h100-mega-80gb": "h100", "nvidia-tesla-a100": "a100-40gb", "nvidia-a100-80gb": "a100-80gb", "nvidia-l4": "l4",
		// Karpenter karpenter.k8s.aws/instance-gpu-name and Ray accelerator types
		"a10g": "a10g", "l40s": "l40s", "A100-80G": "a100-80gb", "A100-40G": "a100-40gb", "H100": "h100",
		// AIConfigurator system names
		"h100_sxm": "h100", "h200_sxm": "h200", "b200_sxm": "b200",
	}
	for in, want := range cases {
		if got, ok := GPUKey(in); !ok || got != want {
			t.Errorf("GPUKey(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "A100", "NVIDIA-GB200", "l40", "tpu-v5", "NVIDIA-A30"} {
		if got, ok := GPUKey(in); ok {
			t.Errorf("GPUKey(%q) = %q; want no match", in, got)
		}
	}
}

func TestInstanceTypesNameTheirCloudAndGPU(t *testing.T) {
	cases := map[string][2]string{
		"p5.48xlarge": {"aws", "h100"}, "p5en.48xlarge": {"aws", "h200"}, "p4d.24xlarge": {"aws", "a100-40gb"},
		"p4de.24xlarge": {"aws", "a100-80gb"}, "g6e.12xlarge": {"aws", "l40s"}, "g6.xlarge": {"aws", "l4"}, "g5.2xlarge": {"aws", "a10g"},
		"Standard_ND96isr_H100_v5": {"azure", "h100"}, "Standard_NC24ads_A100_v4": {"azure", "a100-80gb"}, "Standard_ND96asr_v4": {"azure", "a100-40gb"},
		"a3-highgpu-8g": {"gcp", "h100"}, "a3-ultragpu-8g": {"gcp", "h200"}, "a2-highgpu-1g": {"gcp", "a100-40gb"}, "g2-standard-4": {"gcp", "l4"},
	}
	for in, want := range cases {
		c, g, ok := Instance(in)
		if !ok || c != want[0] || g != want[1] {
			t.Errorf("Instance(%q) = %q, %q, %v; want %v", in, c, g, ok, want)
		}
	}
	if _, _, ok := Instance("m5.large"); ok {
		t.Error("a CPU instance type resolved to a GPU")
	}
}

// Every table entry is an instance price divided by its GPUs, and every GPU the brief names
// is priced on AWS (the one cloud that offers all of them on demand).
func TestTableIsCompleteAndConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Table() {
		k := p.Cloud + "/" + p.GPU
		if seen[k] {
			t.Errorf("duplicate entry %s", k)
		}
		seen[k] = true
		if p.GPUs < 1 || p.InstanceHourly <= 0 {
			t.Errorf("%s: bad entry %+v", k, p)
		}
		if c, g, ok := Instance(p.Instance); !ok || c != p.Cloud || g != p.GPU {
			t.Errorf("%s: instance %s resolves to %s/%s", k, p.Instance, c, g)
		}
		if pg := p.PerGPUHour(); pg < 0.3 || pg > 20 {
			t.Errorf("%s: %.2f USD per GPU-hour is outside any published on-demand price", k, pg)
		}
	}
	for _, g := range []string{"h100", "h200", "b200", "a100-80gb", "a100-40gb", "l40s", "l4", "a10g"} {
		if !seen["aws/"+g] {
			t.Errorf("aws/%s missing", g)
		}
	}
	for _, c := range []string{"azure", "gcp"} {
		if !seen[c+"/h100"] || !seen[c+"/a100-80gb"] {
			t.Errorf("%s: H100 or A100 80GB missing", c)
		}
	}
	if !strings.Contains(PricesSource, "aws.amazon.com") || PricesAsOf == "" {
		t.Error("the table must name its source and date")
	}
}

func TestQuoteLayersOverridesOverTheTable(t *testing.T) {
	base, err := NewPricing("aws", map[string]float64{"h100": 3, "gcp/NVIDIA-L4": 0.5})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := NewPricing("", map[string]float64{"aws/h100": 2.5})
	if err != nil {
		t.Fatal(err)
	}
	p := base.Over(ds)
	check := func(gpu, cloud string, want float64, source string) {
		t.Helper()
		q, err := p.Quote(gpu, cloud)
		if err != nil {
			t.Fatalf("Quote(%s, %s): %v", gpu, cloud, err)
		}
		if math.Abs(q.PerGPUHour-want) > 1e-9 || !strings.Contains(q.Source, source) {
			t.Errorf("Quote(%s, %s) = %v (%s); want %v from %q", gpu, cloud, q.PerGPUHour, q.Source, want, source)
		}
	}
	check("NVIDIA-H100-80GB-HBM3", "", 2.5, "override aws/h100") // cloud-scoped beats GPU-wide
	check("h100", "azure", 3, "override h100")                   // GPU-wide applies on any cloud
	check("nvidia-l4", "gcp", 0.5, "override gcp/l4")
	check("NVIDIA-L4", "aws", 0.8048, "aws g6.xlarge")
	check("NVIDIA-A100-SXM4-80GB", "", 27.447/8, "p4de.24xlarge")

	if _, err := p.Quote("NVIDIA-L40S", "azure"); err == nil || !strings.Contains(err.Error(), "gpu_hourly_prices") {
		t.Errorf("a GPU a cloud does not list must fail and say how to add it: %v", err)
	}
	none, _ := NewPricing("", nil)
	if _, err := none.Quote("h100", ""); err == nil || !strings.Contains(err.Error(), "cloud") {
		t.Errorf("no cloud and no override must fail naming cloud: %v", err)
	}
	if _, err := NewPricing("", map[string]float64{"h100": -1}); err == nil {
		t.Error("a negative price must be refused")
	}
	if _, err := NewPricing("", map[string]float64{"/h100": 1}); err == nil {
		t.Error("an empty cloud in a scoped key must be refused")
	}
	// A GPU outside the table is priced by an override under its own name.
	custom, _ := NewPricing("", map[string]float64{"coreweave/mi300x": 2})
	if q, err := custom.Quote("MI300X", "coreweave"); err != nil || q.PerGPUHour != 2 {
		t.Errorf("custom GPU: %v %v", q, err)
	}
}

func TestCostArithmetic(t *testing.T) {
	h := Hourly(6.88, 8)
	if math.Abs(h-55.04) > 1e-9 || math.Abs(Monthly(h)-55.04*730) > 1e-6 {
		t.Errorf("hourly %v monthly %v", h, Monthly(h))
	}
	// 8 GPUs at 1,000 tokens/s each: 28.8 M tokens an hour for 55.04 USD.
	if v, ok := PerMillionTokens(h, 8000); !ok || math.Abs(v-55.04/28.8) > 1e-9 {
		t.Errorf("per million tokens %v %v", v, ok)
	}
	if _, ok := PerMillionTokens(h, 0); ok {
		t.Error("zero throughput has no per-token cost")
	}
}

// The guide's price table shows exactly this table.
func TestGuideTableMatches(t *testing.T) {
	b, err := os.ReadFile("../../../templates/guides/sizing.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\| (.*) \\|$")
	cell := regexp.MustCompile(`^([0-9.]+) \(([^)]+)\)$`)
	clouds := []string{"aws", "azure", "gcp"}
	seen := 0
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		cells := strings.Split(m[2], " | ")
		if len(cells) != len(clouds) {
			t.Fatalf("row %q: %d cells", m[0], len(cells))
		}
		for i, c := range cells {
			p, ok := Lookup(clouds[i], m[1])
			v := cell.FindStringSubmatch(strings.TrimSpace(c))
			switch {
			case !ok && strings.TrimSpace(c) != "—":
				t.Errorf("guide prices %s/%s (%s) but the table has none", clouds[i], m[1], c)
			case ok && (v == nil || v[2] != p.Instance):
				t.Errorf("guide cell %s/%s = %q; want %.4f (%s)", clouds[i], m[1], c, p.PerGPUHour(), p.Instance)
			case ok:
				if g, _ := strconv.ParseFloat(v[1], 64); math.Abs(g-p.PerGPUHour()) > 1e-4 {
					t.Errorf("guide %s/%s = %v; table %.4f", clouds[i], m[1], g, p.PerGPUHour())
				}
				seen++
			}
		}
	}
	if seen != len(table) {
		t.Errorf("guide shows %d prices, table has %d", seen, len(table))
	}
}
