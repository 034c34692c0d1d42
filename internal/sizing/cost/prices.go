package cost

// PricesAsOf is when the list prices below were in effect: after AWS's June 2025 price cut for
// P4d/P4de/P5/P5en instances; the Azure and GCP list prices were unchanged at that time.
const PricesAsOf = "2025-06"

// PricesSource names where the table comes from. Every price is the on-demand (pay-as-you-go),
// Linux, hourly list price of the named instance type in the named region, divided by the GPUs
// it carries. Single-GPU instances include their CPUs and memory. Prices change: override them
// with the provider's `pricing.gpu_hourly_prices` or a data source's `gpu_hourly_prices`.
const PricesSource = "public on-demand price lists: AWS https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1), " +
	"Azure https://azure.microsoft.com/pricing/details/virtual-machines/linux/ (East US), " +
	"Google Cloud https://cloud.google.com/compute/gpus-pricing and https://cloud.google.com/compute/vm-instance-pricing (us-central1)"

// table holds one price per (cloud, GPU) where the cloud publishes an on-demand instance with
// that GPU. Missing pairs (Azure L40S/L4/A10G/H200/B200, GCP L40S/A10G/H200/B200) are not
// offered on demand under that GPU or were not published as a list price on PricesAsOf.
var table = []Price{
	// AWS, us-east-1.
	{Cloud: "aws", GPU: "h100", Instance: "p5.48xlarge", InstanceHourly: 55.04, GPUs: 8},
	{Cloud: "aws", GPU: "h200", Instance: "p5en.48xlarge", InstanceHourly: 63.296, GPUs: 8},
	{Cloud: "aws", GPU: "b200", Instance: "p6-b200.48xlarge", InstanceHourly: 113.9328, GPUs: 8},
	{Cloud: "aws", GPU: "a100-80gb", Instance: "p4de.24xlarge", InstanceHourly: 27.447, GPUs: 8},
	{Cloud: "aws", GPU: "a100-40gb", Instance: "p4d.24xlarge", InstanceHourly: 21.958, GPUs: 8},
	{Cloud: "aws", GPU: "l40s", Instance: "g6e.xlarge", InstanceHourly: 1.861, GPUs: 1},
	{Cloud: "aws", GPU: "l4", Instance: "g6.xlarge", InstanceHourly: 0.8048, GPUs: 1},
	{Cloud: "aws", GPU: "a10g", Instance: "g5.xlarge", InstanceHourly: 1.006, GPUs: 1},
	// Azure, East US.
	{Cloud: "azure", GPU: "h100", Instance: "Standard_ND96isr_H100_v5", InstanceHourly: 98.32, GPUs: 8},
	{Cloud: "azure", GPU: "a100-80gb", Instance: "Standard_ND96amsr_A100_v4", InstanceHourly: 32.77, GPUs: 8},
	{Cloud: "azure", GPU: "a100-40gb", Instance: "Standard_ND96asr_v4", InstanceHourly: 27.197, GPUs: 8},
	// Google Cloud, us-central1.
	{Cloud: "gcp", GPU: "h100", Instance: "a3-highgpu-8g", InstanceHourly: 88.49, GPUs: 8},
	{Cloud: "gcp", GPU: "a100-80gb", Instance: "a2-ultragpu-1g", InstanceHourly: 5.0688, GPUs: 1},
	{Cloud: "gcp", GPU: "a100-40gb", Instance: "a2-highgpu-1g", InstanceHourly: 3.6730, GPUs: 1},
	{Cloud: "gcp", GPU: "l4", Instance: "g2-standard-4", InstanceHourly: 0.7069, GPUs: 1},
}
