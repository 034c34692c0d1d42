// Package cost prices GPU time: an offline, dated table of on-demand GPU-hour list prices per
// cloud (prices.go), user overrides on top of it, and the arithmetic from a GPU count and a
// throughput to hourly, monthly and per-token cost.
package cost

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// HoursPerMonth is the average month (8,760 h / 12) clouds bill by.
const HoursPerMonth = 730

// Clouds are the clouds the table covers.
var Clouds = []string{"aws", "azure", "gcp"}

// Price is one table entry: an instance type's hourly list price and its GPUs.
type Price struct {
	Cloud, GPU, Instance string
	InstanceHourly       float64
	GPUs                 int
}

// PerGPUHour is the instance's price divided by its GPUs, USD.
func (p Price) PerGPUHour() float64 { return p.InstanceHourly / float64(p.GPUs) }

// Lookup finds the table price of a GPU (any spelling GPUKey knows) on a cloud.
func Lookup(cloud, gpu string) (Price, bool) {
	key, ok := GPUKey(gpu)
	if !ok {
		return Price{}, false
	}
	cloud = CloudKey(cloud)
	for _, p := range table {
		if p.Cloud == cloud && p.GPU == key {
			return p, true
		}
	}
	return Price{}, false
}

// Table returns every entry, sorted by cloud and GPU.
func Table() []Price {
	out := append([]Price(nil), table...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Cloud != out[j].Cloud {
			return out[i].Cloud < out[j].Cloud
		}
		return out[i].GPU < out[j].GPU
	})
	return out
}

// CloudKey normalizes a cloud name: aws, azure, gcp (google, gke → gcp; eks → aws; aks → azure).
func CloudKey(cloud string) string {
	c := strings.ToLower(strings.TrimSpace(cloud))
	switch c {
	case "google", "gke", "google-cloud", "googlecloud":
		return "gcp"
	case "eks", "amazon":
		return "aws"
	case "aks", "microsoft":
		return "azure"
	}
	return c
}

// GPUKey maps the ways clusters and tools name a GPU to one table key (h100, h200, b200,
// a100-80gb, a100-40gb, l40s, l4, a10g): GPU Feature Discovery product labels
// (NVIDIA-H100-80GB-HBM3), GKE accelerator labels (nvidia-tesla-a100, nvidia-l4), Karpenter's
// instance-gpu-name (a10g), Ray accelerator types (A100-80G), AIConfigurator system names
// (h100_sxm) and the keys themselves. A bare "A100" is ambiguous (40 or 80 GB) and not matched.
func GPUKey(name string) (string, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer("_", "-", " ", "-").Replace(n)
	n = strings.TrimPrefix(n, "nvidia-")
	n = strings.TrimPrefix(n, "tesla-")
	switch {
	case n == "":
		return "", false
	case strings.HasPrefix(n, "gb200"), strings.HasPrefix(n, "gb300"), strings.HasPrefix(n, "b300"):
		return "", false // rack-scale or newer parts: no per-GPU list price in the table
	case strings.HasPrefix(n, "h100"):
		return "h100", true
	case strings.HasPrefix(n, "h200"):
		return "h200", true
	case strings.HasPrefix(n, "b200"):
		return "b200", true
	case strings.HasPrefix(n, "a100"):
		switch {
		case strings.Contains(n, "80"):
			return "a100-80gb", true
		case strings.Contains(n, "40"), n == "a100" && strings.HasPrefix(strings.ToLower(name), "nvidia-tesla-"):
			return "a100-40gb", true // GKE's nvidia-tesla-a100 is the 40 GB part
		}
		return "", false
	case strings.HasPrefix(n, "l40s"):
		return "l40s", true
	case n == "l4" || strings.HasPrefix(n, "l4-"):
		return "l4", true
	case strings.HasPrefix(n, "a10g"):
		return "a10g", true
	}
	return "", false
}

// instanceFamilies maps instance-type prefixes (node.kubernetes.io/instance-type) to a cloud
// and GPU; longer prefixes are tried first.
var instanceFamilies = []struct{ prefix, cloud, gpu string }{
	{"p5en.", "aws", "h200"}, {"p5e.", "aws", "h200"}, {"p5.", "aws", "h100"}, {"p6-b200.", "aws", "b200"},
	{"p4de.", "aws", "a100-80gb"}, {"p4d.", "aws", "a100-40gb"}, {"g6e.", "aws", "l40s"}, {"g6.", "aws", "l4"}, {"g5.", "aws", "a10g"},
	{"a3-ultragpu-", "gcp", "h200"}, {"a3-highgpu-", "gcp", "h100"}, {"a3-megagpu-", "gcp", "h100"}, {"a3-edgegpu-", "gcp", "h100"},
	{"a4-highgpu-", "gcp", "b200"}, {"a2-ultragpu-", "gcp", "a100-80gb"}, {"a2-highgpu-", "gcp", "a100-40gb"}, {"a2-megagpu-", "gcp", "a100-40gb"},
	{"g2-standard-", "gcp", "l4"},
}

// Instance resolves a cloud instance type (p5.48xlarge, Standard_ND96isr_H100_v5,
// a3-highgpu-8g) to its cloud and GPU key.
func Instance(instanceType string) (cloud, gpu string, ok bool) {
	t := strings.ToLower(strings.TrimSpace(instanceType))
	if strings.HasPrefix(t, "standard_") {
		switch {
		case strings.Contains(t, "_h100_"):
			return "azure", "h100", true
		case strings.Contains(t, "_h200_"):
			return "azure", "h200", true
		case strings.Contains(t, "a100_v4"): // NC…ads A100 v4 and ND96amsr carry the 80 GB part
			return "azure", "a100-80gb", true
		case strings.HasSuffix(t, "asr_v4"):
			return "azure", "a100-40gb", true
		}
		return "azure", "", false
	}
	for _, f := range instanceFamilies {
		if strings.HasPrefix(t, f.prefix) {
			return f.cloud, f.gpu, true
		}
	}
	return "", "", false
}

// Pricing is the table with the user's overrides on top. Override keys are a GPU ("h100",
// any spelling GPUKey knows) or "<cloud>/<gpu>" (a cloud-specific price wins over a GPU-wide one);
// values are USD per GPU-hour. Cloud is the default cloud for table lookups.
type Pricing struct {
	Cloud     string
	overrides map[string]float64
}

// NewPricing checks and normalizes the overrides.
func NewPricing(cloud string, overrides map[string]float64) (Pricing, error) {
	p := Pricing{Cloud: CloudKey(cloud), overrides: map[string]float64{}}
	for k, v := range overrides {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return p, fmt.Errorf("price of %q must be a finite number >= 0 (USD per GPU-hour), got %v", k, v)
		}
		key, err := overrideKey(k)
		if err != nil {
			return p, err
		}
		p.overrides[key] = v
	}
	return p, nil
}

func overrideKey(k string) (string, error) {
	cloud, gpu, scoped := strings.Cut(k, "/")
	if !scoped {
		gpu, cloud = cloud, ""
	}
	g, ok := GPUKey(gpu)
	if !ok {
		g = strings.ToLower(strings.TrimSpace(gpu))
	}
	if g == "" || scoped && strings.TrimSpace(cloud) == "" {
		return "", fmt.Errorf("price key %q: use a GPU (e.g. \"h100\") or \"<cloud>/<gpu>\" (e.g. \"aws/h100\")", k)
	}
	if scoped {
		return CloudKey(cloud) + "/" + g, nil
	}
	return g, nil
}

// Over returns p with o's cloud (when set) and o's overrides layered on top.
func (p Pricing) Over(o Pricing) Pricing {
	out := Pricing{Cloud: p.Cloud, overrides: map[string]float64{}}
	if o.Cloud != "" {
		out.Cloud = o.Cloud
	}
	for k, v := range p.overrides {
		out.overrides[k] = v
	}
	for k, v := range o.overrides {
		out.overrides[k] = v
	}
	return out
}

// Quote is the price of one GPU-hour and where it comes from.
type Quote struct {
	PerGPUHour float64
	Source     string
}

// Quote prices one GPU-hour of gpu on cloud (p.Cloud when empty): an override for that cloud,
// else one for the GPU, else the table. The error says what is missing and how to add it.
func (p Pricing) Quote(gpu, cloud string) (Quote, error) {
	if cloud == "" {
		cloud = p.Cloud
	}
	cloud = CloudKey(cloud)
	key, known := GPUKey(gpu)
	if !known {
		key = strings.ToLower(strings.TrimSpace(gpu))
	}
	if cloud != "" {
		if v, ok := p.overrides[cloud+"/"+key]; ok {
			return Quote{PerGPUHour: v, Source: "override " + cloud + "/" + key}, nil
		}
	}
	if v, ok := p.overrides[key]; ok {
		return Quote{PerGPUHour: v, Source: "override " + key}, nil
	}
	if !known {
		return Quote{}, fmt.Errorf("GPU %q has no list price in the table (it knows %s); give its price in gpu_hourly_prices", gpu, strings.Join(GPUKeys(), ", "))
	}
	if cloud == "" {
		return Quote{}, fmt.Errorf("no cloud given for the %s list price: set cloud (%s) or give the price in gpu_hourly_prices", key, strings.Join(Clouds, ", "))
	}
	t, ok := Lookup(cloud, key)
	if !ok {
		return Quote{}, fmt.Errorf("the table has no %s on-demand price for %s (%s); give it in gpu_hourly_prices, e.g. { \"%s/%s\" = 2.5 }",
			cloud, key, availability(key), cloud, key)
	}
	return Quote{PerGPUHour: t.PerGPUHour(), Source: fmt.Sprintf("%s %s %s on-demand list price (%s)", cloud, t.Instance, key, PricesAsOf)}, nil
}

func availability(gpu string) string {
	var clouds []string
	for _, p := range Table() {
		if p.GPU == gpu {
			clouds = append(clouds, p.Cloud)
		}
	}
	if len(clouds) == 0 {
		return "no cloud in the table lists it"
	}
	return "the table lists it for " + strings.Join(clouds, ", ")
}

// GPUKeys lists the table's GPU keys, sorted.
func GPUKeys() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range table {
		if !seen[p.GPU] {
			seen[p.GPU] = true
			out = append(out, p.GPU)
		}
	}
	sort.Strings(out)
	return out
}

// Hourly is the cost of gpus GPUs for an hour.
func Hourly(perGPUHour float64, gpus int) float64 { return perGPUHour * float64(gpus) }

// Monthly is an hourly cost over a 730-hour month.
func Monthly(hourly float64) float64 { return hourly * HoursPerMonth }

// PerMillionTokens is what a million tokens cost at an hourly cost and a throughput in tokens
// per second (of the same GPUs); ok is false when nothing is produced.
func PerMillionTokens(hourly, tokensPerSecond float64) (float64, bool) {
	if tokensPerSecond <= 0 || math.IsNaN(tokensPerSecond) || math.IsInf(tokensPerSecond, 0) {
		return 0, false
	}
	return hourly / (tokensPerSecond * 3600) * 1e6, true
}
