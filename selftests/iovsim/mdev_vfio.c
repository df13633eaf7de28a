// SPDX-License-Identifier: GPL-2.0-only
/*
 * A user-space VFIO driver for an iovsim function passed through with
 * iovsim_mdev (a virtio-net function, set up by mdev_vfio.sh): opens the
 * mdev's group in a TYPE1v2 container and checks the VFIO device as
 * vfio-pci would present it: device, region and IRQ info, the virtual
 * BAR registers and Bus Master Enable against the function's own
 * configuration space, the virtio registers through the trapped BAR,
 * reset, MSI-X through eventfds (a configuration interrupt raised by the
 * device when its link changes), and every bad argument.
 *
 * And DMA: rings and buffers in memory this process mapped into its
 * container, frames to and from the in-host function cabled to it, each
 * checked byte for byte, the interrupt of each queue through its eventfd,
 * and a ring at an IOVA the container does not map refused.
 *
 * And hostile or careless user space: a 4 GiB buffer (refused by length,
 * not a page touched), no RLIMIT_MEMLOCK budget (NEEDS_RESET, nothing
 * charged) and a small one (honoured, all given back at close), resets,
 * unmaps and closes while frames stream in, and IOVSIM_MDEV_CYCLES
 * open/receive/close cycles.
 *
 * Environment: IOVSIM_MDEV_UUID (the mdev), IOVSIM_MDEV_PCI (the
 * function's address), IOVSIM_MDEV_LINK (its configfs link attribute),
 * IOVSIM_MDEV_PEER (the netdev of the in-host function cabled to it).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/pci_regs.h>
#include <linux/types.h>
#include <linux/vfio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "vfio_util.h"

#define REGION(i)	((__u64)(i) << 40)
#define VIRTIO_NET_S_LINK_UP	1

/* The device file and where its virtio structures are (BAR, offset). */
struct virtio_loc {
	int dev;
	int common_bar, device_bar;
	__u32 common_off, device_off;
};

FIXTURE(mdev) {
	int container, group, dev;
	char pci[64];
	struct virtio_loc v;
};

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v ? v : "";
}

static int cfg_read(int dev, unsigned int off, void *buf, size_t len)
{
	ssize_t n = pread(dev, buf, len, REGION(VFIO_PCI_CONFIG_REGION_INDEX) + off);

	return n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
}

static __u32 cfg32(int dev, unsigned int off)
{
	__u32 v = ~0u;

	cfg_read(dev, off, &v, 4);
	return v;
}

static __u16 cfg16(int dev, unsigned int off)
{
	__u16 v = 0xffff;

	cfg_read(dev, off, &v, 2);
	return v;
}

static __u8 cfg8(int dev, unsigned int off)
{
	__u8 v = 0xff;

	cfg_read(dev, off, &v, 1);
	return v;
}

static int cfg_write(int dev, unsigned int off, const void *buf, size_t len)
{
	ssize_t n = pwrite(dev, buf, len, REGION(VFIO_PCI_CONFIG_REGION_INDEX) + off);

	return n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
}

/* The function's own configuration space, as the host sees it. */
static __u32 host_cfg32(const char *pci, unsigned int off)
{
	char path[PATH_MAX];
	__u32 v = ~0u;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", pci);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return v;
	if (pread(fd, &v, 4, off) != 4)
		v = ~0u;
	close(fd);
	return v;
}

static int bar_rw(int dev, int bar, __u64 off, void *buf, size_t len,
		  int write)
{
	ssize_t n = write ? pwrite(dev, buf, len, REGION(bar) + off) :
			    pread(dev, buf, len, REGION(bar) + off);

	return n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
}

static __u32 common_read(const struct virtio_loc *loc, unsigned int off,
			 size_t len)
{
	__u32 v = 0;

	if (bar_rw(loc->dev, loc->common_bar, loc->common_off + off, &v, len,
		   0))
		return ~0u;
	return v;
}

static int common_write(const struct virtio_loc *loc, unsigned int off,
			__u32 v, size_t len)
{
	return bar_rw(loc->dev, loc->common_bar, loc->common_off + off, &v,
		      len, 1);
}

/* Walk the capability list for the virtio structures of @type. */
static int find_virtio_cap(int dev, __u8 type, int *bar, __u32 *off)
{
	unsigned int pos = cfg8(dev, PCI_CAPABILITY_LIST), n;

	for (n = 0; pos && n < 48; n++, pos = cfg8(dev, pos + 1)) {
		if (cfg8(dev, pos) != PCI_CAP_ID_VNDR ||
		    cfg8(dev, pos + 3) != type)
			continue;
		*bar = cfg8(dev, pos + 4);
		*off = cfg32(dev, pos + 8);
		return 0;
	}
	return -ENOENT;
}

static int set_link(const char *up)
{
	int fd = open(env("IOVSIM_MDEV_LINK"), O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, up, strlen(up)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Wait up to @ms for @efd to count; returns the count, 0 on timeout. */
static __u64 wait_eventfd(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	__u64 n = 0;

	if (poll(&p, 1, ms) == 1 && read(efd, &n, sizeof(n)) != sizeof(n))
		n = 0;
	return n;
}

static int set_irqs(int dev, __u32 flags, __u32 index, __u32 start,
		    __u32 count, const void *data, size_t len)
{
	char buf[sizeof(struct vfio_irq_set) + 64];
	struct vfio_irq_set *s = (struct vfio_irq_set *)buf;

	memset(buf, 0, sizeof(buf));
	s->argsz = sizeof(*s) + len;
	s->flags = flags;
	s->index = index;
	s->start = start;
	s->count = count;
	if (len)
		memcpy(s->data, data, len);
	return ioctl(dev, VFIO_DEVICE_SET_IRQS, s) ? -errno : 0;
}

/*
 * Open the mdev's group (IOVSIM_MDEV_UUID) in a new TYPE1v2 container and
 * get its device: 0, or -1 with errno set and *@what saying which step.
 */
static int vfio_open(int *container, int *group, int *dev, const char **what)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX], link[PATH_MAX], *slash;
	ssize_t n;

	*container = *group = *dev = -1;
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group",
		 env("IOVSIM_MDEV_UUID"));
	*what = "readlink iommu_group";
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -1;
	link[n] = '\0';
	slash = strrchr(link, '/');
	snprintf(path, sizeof(path), "/dev/vfio/%.32s", slash ? slash + 1 : link);

	*what = "open /dev/vfio/vfio";
	*container = open("/dev/vfio/vfio", O_RDWR);
	if (*container < 0)
		return -1;
	*what = "open the group";
	*group = open(path, O_RDWR);
	if (*group < 0)
		return -1;
	*what = "VFIO_GROUP_GET_STATUS (viable)";
	if (ioctl(*group, VFIO_GROUP_GET_STATUS, &status))
		return -1;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;
		return -1;
	}
	*what = "VFIO_GROUP_SET_CONTAINER";
	if (ioctl(*group, VFIO_GROUP_SET_CONTAINER, container))
		return -1;
	*what = "VFIO_SET_IOMMU TYPE1v2";
	if (ioctl(*container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return -1;
	*what = "VFIO_GROUP_GET_DEVICE_FD";
	*dev = ioctl(*group, VFIO_GROUP_GET_DEVICE_FD, env("IOVSIM_MDEV_UUID"));
	return *dev < 0 ? -1 : 0;
}

FIXTURE_SETUP(mdev)
{
	const char *what;

	snprintf(self->pci, sizeof(self->pci), "%s", env("IOVSIM_MDEV_PCI"));
	ASSERT_EQ(0, vfio_open(&self->container, &self->group, &self->dev,
			       &what))
		TH_LOG("%s: %s", what, strerror(errno));
	self->v.dev = self->dev;
	ASSERT_EQ(0, find_virtio_cap(self->dev, VIRTIO_PCI_CAP_COMMON_CFG,
				     &self->v.common_bar, &self->v.common_off));
	ASSERT_EQ(0, find_virtio_cap(self->dev, VIRTIO_PCI_CAP_DEVICE_CFG,
				     &self->v.device_bar, &self->v.device_off));
}

FIXTURE_TEARDOWN(mdev)
{
	if (self->dev >= 0)
		close(self->dev);
	if (self->group >= 0)
		close(self->group);
	if (self->container >= 0)
		close(self->container);
}

/* As vfio-pci: a PCI device with reset, 9 regions and 5 IRQ indexes. */
TEST_F(mdev, device_info)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET,
		  info.flags & (VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET));
	EXPECT_EQ(VFIO_PCI_NUM_REGIONS, info.num_regions);
	EXPECT_EQ(VFIO_PCI_NUM_IRQS, info.num_irqs);
	info.argsz = 4;
	EXPECT_EQ(-1, ioctl(self->dev, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->dev, _IO(VFIO_TYPE, VFIO_BASE + 40)));
	EXPECT_EQ(ENOTTY, errno);
}

/* Config space and the function's BARs are regions; no ROM, no VGA. */
TEST_F(mdev, region_info)
{
	struct vfio_region_info r = { .argsz = sizeof(r) };
	__u32 bar0 = host_cfg32(self->pci, PCI_BASE_ADDRESS_0);

	r.index = VFIO_PCI_CONFIG_REGION_INDEX;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_EQ(4096, r.size);
	EXPECT_EQ(REGION(VFIO_PCI_CONFIG_REGION_INDEX), r.offset);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  r.flags);

	r.index = self->v.common_bar;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_LT(0, r.size);
	EXPECT_EQ(0, r.size & (r.size - 1));
	EXPECT_EQ(REGION(self->v.common_bar), r.offset);
	/* trapped: read and write, never mmap */
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  r.flags);
	/* a 64-bit BAR's upper half is no region of its own */
	if ((bar0 & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
	    PCI_BASE_ADDRESS_MEM_TYPE_64 && self->v.common_bar == 0) {
		r.index = 1;
		ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_REGION_INFO, &r));
		EXPECT_EQ(0, r.size);
	}
	r.index = VFIO_PCI_ROM_REGION_INDEX;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_EQ(0, r.size);
	r.index = VFIO_PCI_NUM_REGIONS;
	EXPECT_EQ(-1, ioctl(self->dev, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_EQ(EINVAL, errno);
}

/* IDs read the same at every width, and as the host reads them. */
/* The function's Vendor and Device ID as the PCI core has them. */
static __u32 host_ids(const char *pci)
{
	char path[PATH_MAX];
	unsigned int v = 0xffff, d = 0xffff;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", pci);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%x", &v) != 1)
			v = 0xffff;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", pci);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%x", &d) != 1)
			d = 0xffff;
		fclose(f);
	}
	return v | d << 16;
}

/*
 * The IDs at every width, as the PCI core knows them: for an SR-IOV VF,
 * whose own registers read 0xffff, those of its PF's SR-IOV capability.
 */
TEST_F(mdev, config_ids)
{
	__u32 id = host_ids(self->pci);

	EXPECT_EQ(0x10411af4, id);
	if (!*env("IOVSIM_MDEV_VF"))
		EXPECT_EQ(id, host_cfg32(self->pci, PCI_VENDOR_ID));
	EXPECT_EQ(id, cfg32(self->dev, PCI_VENDOR_ID));
	EXPECT_EQ(id & 0xffff, cfg16(self->dev, PCI_VENDOR_ID));
	EXPECT_EQ(id >> 16, cfg16(self->dev, PCI_DEVICE_ID));
	EXPECT_EQ((id >> 8) & 0xff, cfg8(self->dev, PCI_VENDOR_ID + 1));
}

/*
 * BAR registers are user space's own: sizing and an address read back as
 * on hardware, while the function keeps the address the host gave it.
 */
TEST_F(mdev, bar_registers)
{
	unsigned int reg = PCI_BASE_ADDRESS_0 + 4 * self->v.common_bar;
	__u32 host = host_cfg32(self->pci, reg), ones = ~0u, v;
	struct vfio_region_info r = { .argsz = sizeof(r) };

	r.index = self->v.common_bar;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_EQ(host & 0xf, cfg32(self->dev, reg));	/* address 0 at open */
	ASSERT_EQ(0, cfg_write(self->dev, reg, &ones, 4));
	EXPECT_EQ((__u32)~(r.size - 1) | (host & 0xf), cfg32(self->dev, reg));
	v = 0xfe000000;
	ASSERT_EQ(0, cfg_write(self->dev, reg, &v, 4));
	EXPECT_EQ(0xfe000000 | (host & 0xf), cfg32(self->dev, reg));
	v = 0x12;
	ASSERT_EQ(0, cfg_write(self->dev, reg + 4, &v, 4));
	EXPECT_EQ(0x12, cfg32(self->dev, reg + 4));
	EXPECT_EQ(host, host_cfg32(self->pci, reg));
	/* no Expansion ROM, and its register stays 0 */
	ASSERT_EQ(0, cfg_write(self->dev, PCI_ROM_ADDRESS, &ones, 4));
	EXPECT_EQ(0, cfg32(self->dev, PCI_ROM_ADDRESS));
	/* read-only header registers stay as they are */
	v = 0xffff;
	ASSERT_EQ(0, cfg_write(self->dev, PCI_VENDOR_ID, &v, 2));
	EXPECT_EQ(0x1af4, cfg16(self->dev, PCI_VENDOR_ID));
}

/* Memory Space and Bus Master Enable are the function's own. */
TEST_F(mdev, command_register)
{
	__u16 cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, z = 0;
	/* a VF's own Memory Space Enable stays 0: its PF's VF MSE rules */
	__u16 host = *env("IOVSIM_MDEV_VF") ? PCI_COMMAND_MASTER : cmd;

	EXPECT_EQ(0, host_cfg32(self->pci, PCI_COMMAND) & PCI_COMMAND_MASTER);
	ASSERT_EQ(0, cfg_write(self->dev, PCI_COMMAND, &cmd, 2));
	EXPECT_EQ(cmd, cfg16(self->dev, PCI_COMMAND) & cmd);
	EXPECT_EQ(host, host_cfg32(self->pci, PCI_COMMAND) & cmd);
	EXPECT_NE(0xffff, common_read(&self->v, VIRTIO_PCI_COMMON_NUMQ, 2));
	ASSERT_EQ(0, cfg_write(self->dev, PCI_COMMAND, &z, 2));
	EXPECT_EQ(0, cfg16(self->dev, PCI_COMMAND) & cmd);
	EXPECT_EQ(0, host_cfg32(self->pci, PCI_COMMAND) & cmd);
	/* without Memory Space Enable the BAR reads all-ones */
	EXPECT_EQ(0xffff, common_read(&self->v, VIRTIO_PCI_COMMON_NUMQ, 2));
}

/* The virtio registers, through the trapped BAR, and reset. */
TEST_F(mdev, virtio_registers)
{
	__u16 cmd = PCI_COMMAND_MEMORY, devctl;
	unsigned int pos, n;
	__u64 q = 0;

	ASSERT_EQ(0, cfg_write(self->dev, PCI_COMMAND, &cmd, 2));
	EXPECT_EQ(3, common_read(&self->v, VIRTIO_PCI_COMMON_NUMQ, 2));
	ASSERT_EQ(0, common_write(&self->v, VIRTIO_PCI_COMMON_DFSELECT, 1, 4));
	EXPECT_TRUE(common_read(&self->v, VIRTIO_PCI_COMMON_DF, 4) & 1);
	ASSERT_EQ(0, common_write(&self->v, VIRTIO_PCI_COMMON_STATUS,
				  VIRTIO_CONFIG_S_ACKNOWLEDGE |
				  VIRTIO_CONFIG_S_DRIVER, 1));
	EXPECT_EQ(3, common_read(&self->v, VIRTIO_PCI_COMMON_STATUS, 1));
	/* 8-byte access */
	EXPECT_EQ(0, bar_rw(self->dev, self->v.common_bar, self->v.common_off, &q,
			    8, 0));
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_RESET));
	/* after a reset the host's Command from bind time is back */
	ASSERT_EQ(0, cfg_write(self->dev, PCI_COMMAND, &cmd, 2));
	EXPECT_EQ(0, common_read(&self->v, VIRTIO_PCI_COMMON_STATUS, 1));
	EXPECT_EQ(3, common_read(&self->v, VIRTIO_PCI_COMMON_NUMQ, 2));

	/* Initiate FLR written to configuration space resets it too */
	ASSERT_EQ(0, common_write(&self->v, VIRTIO_PCI_COMMON_STATUS, 3, 1));
	EXPECT_EQ(3, common_read(&self->v, VIRTIO_PCI_COMMON_STATUS, 1));
	for (pos = cfg8(self->dev, PCI_CAPABILITY_LIST), n = 0;
	     pos && n < 48 && cfg8(self->dev, pos) != PCI_CAP_ID_EXP; n++)
		pos = cfg8(self->dev, pos + 1);
	ASSERT_NE(0, pos);
	devctl = cfg16(self->dev, pos + PCI_EXP_DEVCTL) | PCI_EXP_DEVCTL_BCR_FLR;
	ASSERT_EQ(0, cfg_write(self->dev, pos + PCI_EXP_DEVCTL, &devctl, 2));
	ASSERT_EQ(0, cfg_write(self->dev, PCI_COMMAND, &cmd, 2));
	EXPECT_EQ(0, common_read(&self->v, VIRTIO_PCI_COMMON_STATUS, 1));
	EXPECT_EQ(0, cfg16(self->dev, pos + PCI_EXP_DEVCTL) &
		  PCI_EXP_DEVCTL_BCR_FLR);
}

/* Accesses a BAR does not take fail cleanly and change nothing. */
TEST_F(mdev, bad_region_accesses)
{
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	struct vfio_region_info r = { .argsz = sizeof(r) };
	__u16 cmd = PCI_COMMAND_MEMORY;
	__u8 b[16];

	ASSERT_EQ(0, cfg_write(self->dev, PCI_COMMAND, &cmd, 2));
	r.index = self->v.common_bar;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_EQ(-EINVAL, bar_rw(self->dev, self->v.common_bar, 0, b, 3, 0));
	EXPECT_EQ(-EINVAL, bar_rw(self->dev, self->v.common_bar, 1, b, 2, 0));
	EXPECT_EQ(-EINVAL, bar_rw(self->dev, self->v.common_bar, 0, b, 16, 0));
	EXPECT_EQ(-EINVAL, bar_rw(self->dev, self->v.common_bar, r.size, b, 4, 0));
	EXPECT_EQ(-EINVAL, bar_rw(self->dev, self->v.common_bar, r.size - 2, b,
				  4, 1));
	EXPECT_EQ(-EINVAL, bar_rw(self->dev, VFIO_PCI_ROM_REGION_INDEX, 0, b,
				  4, 0));
	EXPECT_EQ(-EINVAL, bar_rw(self->dev, VFIO_PCI_NUM_REGIONS + 3, 0, b,
				  4, 0));
	EXPECT_EQ(-EINVAL, cfg_read(self->dev, 4094, b, 4));
	EXPECT_EQ(-EINVAL, cfg_read(self->dev, 4096, b, 1));
	/* a user buffer that cannot be written */
	ASSERT_NE(MAP_FAILED, bad);
	EXPECT_EQ(-EFAULT, bar_rw(self->dev, self->v.common_bar, 0, bad, 4, 0));
	EXPECT_EQ(-EFAULT, cfg_read(self->dev, 0, bad, 4));
	munmap(bad, 4096);
	/* a whole 16-byte config read, split as vfio-pci splits it */
	EXPECT_EQ(0, cfg_read(self->dev, 1, b, 15));
	EXPECT_EQ(0x1a, b[0]);
	EXPECT_EQ(3, common_read(&self->v, VIRTIO_PCI_COMMON_NUMQ, 2));
}

/* MSI-X only: one eventfd per vector of the function's table. */
TEST_F(mdev, irq_info)
{
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	unsigned int msix = cfg8(self->dev, PCI_CAPABILITY_LIST), n;

	for (n = 0; msix && n < 48 && cfg8(self->dev, msix) != PCI_CAP_ID_MSIX;
	     n++)
		msix = cfg8(self->dev, msix + 1);
	ASSERT_NE(0, msix);
	irq.index = VFIO_PCI_MSIX_IRQ_INDEX;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ((cfg16(self->dev, msix + PCI_MSIX_FLAGS) &
		   PCI_MSIX_FLAGS_QSIZE) + 1, irq.count);
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, irq.flags);
	irq.index = VFIO_PCI_INTX_IRQ_INDEX;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ(0, irq.count);
	irq.index = VFIO_PCI_MSI_IRQ_INDEX;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ(0, irq.count);
	irq.index = VFIO_PCI_NUM_IRQS;
	EXPECT_EQ(-1, ioctl(self->dev, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ(EINVAL, errno);
}

/* Every SET_IRQS argument user space can get wrong. */
TEST_F(mdev, set_irqs_errors)
{
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	__s32 fds[2] = { eventfd(0, 0), 9999 };
	__u32 trig = VFIO_IRQ_SET_ACTION_TRIGGER;

	ASSERT_LE(0, fds[0]);
	irq.index = VFIO_PCI_MSIX_IRQ_INDEX;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	ASSERT_LE(2, irq.count);
	EXPECT_EQ(-EINVAL, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_EVENTFD,
				    VFIO_PCI_INTX_IRQ_INDEX, 0, 1, fds, 4));
	EXPECT_EQ(-EINVAL, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_EVENTFD,
				    VFIO_PCI_MSI_IRQ_INDEX, 0, 1, fds, 4));
	EXPECT_EQ(-EINVAL, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_EVENTFD,
				    VFIO_PCI_MSIX_IRQ_INDEX, irq.count - 1, 2,
				    fds, 8));
	EXPECT_EQ(-EINVAL, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_EVENTFD |
				    VFIO_IRQ_SET_DATA_BOOL,
				    VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, fds, 4));
	EXPECT_EQ(-EBADF, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_EVENTFD,
				   VFIO_PCI_MSIX_IRQ_INDEX, 0, 2, fds, 8));
	/* the block failed half way: vector 0 was undone */
	EXPECT_EQ(0, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_NONE,
			      VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, NULL, 0));
	EXPECT_EQ(0, wait_eventfd(fds[0], 100));
	EXPECT_EQ(-ENOTTY, set_irqs(self->dev, VFIO_IRQ_SET_ACTION_MASK |
				    VFIO_IRQ_SET_DATA_NONE,
				    VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, NULL, 0));
	close(fds[0]);
}

/*
 * The device's own configuration interrupt reaches user space through
 * the eventfd of vector 0 when its link goes down and up (an MSI-X
 * message is a memory write: Bus Master Enable set); DATA_NONE and
 * DATA_BOOL signal it from the host (loopback).
 */
TEST_F(mdev, msix_config_interrupt)
{
	int efd = eventfd(0, EFD_NONBLOCK);
	__u16 cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	__u32 trig = VFIO_IRQ_SET_ACTION_TRIGGER;
	__u8 yes = 1, st;
	__s32 fd = efd;

	ASSERT_LE(0, efd);
	ASSERT_EQ(0, cfg_write(self->dev, PCI_COMMAND, &cmd, 2));
	ASSERT_EQ(0, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_EVENTFD,
			      VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, &fd, 4));
	ASSERT_EQ(0, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_NONE,
			      VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, NULL, 0));
	EXPECT_EQ(1, wait_eventfd(efd, 1000));
	ASSERT_EQ(0, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_BOOL,
			      VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, &yes, 1));
	EXPECT_EQ(1, wait_eventfd(efd, 1000));

	/* a driver: features, msix_config 0, DRIVER_OK; no queues */
	ASSERT_EQ(0, common_write(&self->v, VIRTIO_PCI_COMMON_STATUS,
				  VIRTIO_CONFIG_S_ACKNOWLEDGE |
				  VIRTIO_CONFIG_S_DRIVER, 1));
	ASSERT_EQ(0, common_write(&self->v, VIRTIO_PCI_COMMON_GFSELECT, 1, 4));
	ASSERT_EQ(0, common_write(&self->v, VIRTIO_PCI_COMMON_GF, 1, 4));
	ASSERT_EQ(0, common_write(&self->v, VIRTIO_PCI_COMMON_STATUS,
				  VIRTIO_CONFIG_S_ACKNOWLEDGE |
				  VIRTIO_CONFIG_S_DRIVER |
				  VIRTIO_CONFIG_S_FEATURES_OK, 1));
	ASSERT_EQ(VIRTIO_CONFIG_S_FEATURES_OK,
		  common_read(&self->v, VIRTIO_PCI_COMMON_STATUS, 1) &
		  VIRTIO_CONFIG_S_FEATURES_OK);
	ASSERT_EQ(0, common_write(&self->v, VIRTIO_PCI_COMMON_MSIX, 0, 2));
	ASSERT_EQ(0, common_read(&self->v, VIRTIO_PCI_COMMON_MSIX, 2));
	ASSERT_EQ(0, common_write(&self->v, VIRTIO_PCI_COMMON_STATUS,
				  VIRTIO_CONFIG_S_ACKNOWLEDGE |
				  VIRTIO_CONFIG_S_DRIVER |
				  VIRTIO_CONFIG_S_FEATURES_OK |
				  VIRTIO_CONFIG_S_DRIVER_OK, 1));
	EXPECT_EQ(0, wait_eventfd(efd, 200));

	ASSERT_EQ(0, set_link("0"));
	EXPECT_EQ(1, wait_eventfd(efd, 5000));
	ASSERT_EQ(0, bar_rw(self->dev, self->v.device_bar, self->v.device_off + 6,
			    &st, 1, 0));
	EXPECT_EQ(0, st & VIRTIO_NET_S_LINK_UP);
	ASSERT_EQ(0, set_link("1"));
	EXPECT_EQ(1, wait_eventfd(efd, 5000));
	ASSERT_EQ(0, bar_rw(self->dev, self->v.device_bar, self->v.device_off + 6,
			    &st, 1, 0));
	EXPECT_EQ(VIRTIO_NET_S_LINK_UP, st & VIRTIO_NET_S_LINK_UP);

	/* after a reset (MSI-X Enable back, status 0) no interrupt comes */
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_RESET));
	ASSERT_EQ(0, set_link("0"));
	EXPECT_EQ(0, wait_eventfd(efd, 300));
	ASSERT_EQ(0, set_link("1"));
	/* vectors let go: the loopback has nothing to signal */
	ASSERT_EQ(0, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_NONE,
			      VFIO_PCI_MSIX_IRQ_INDEX, 0, 0, NULL, 0));
	ASSERT_EQ(0, set_irqs(self->dev, trig | VFIO_IRQ_SET_DATA_NONE,
			      VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, NULL, 0));
	EXPECT_EQ(0, wait_eventfd(efd, 100));
	close(efd);
}

/* Guest memory of the DMA test: one buffer mapped at IOVA_BASE. */
/* above any RAM of the test VM: were isolation broken, nothing is hit */
#define IOVA_BASE	0x10000000000ull	/* 1 TiB */
#define MEM_SIZE	(64 * 1024)
#define QSIZE		8
#define BUF_LEN		2048
#define NET_HDR		12		/* struct virtio_net_hdr_v1 */
#define PROTO		0x88b5
/* queue q's descriptors, avail and used rings, then its buffers */
#define Q_DESC(q)	((q) * 0x4000)
#define Q_AVAIL(q)	(Q_DESC(q) + 0x1000)
#define Q_USED(q)	(Q_DESC(q) + 0x2000)
#define BUF(q, i)	(0x8000 + (q) * 0x4000 + (i) * BUF_LEN)

/* Set up queue @q (split ring of QSIZE at @iova) with MSI-X vector @vec. */
static int setup_queue(const struct virtio_loc *v, unsigned int q,
		       __u64 iova, unsigned int vec)
{
	int ret = common_write(v, VIRTIO_PCI_COMMON_Q_SELECT, q, 2);

	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_Q_SIZE, QSIZE, 2);
	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_Q_MSIX, vec, 2);
	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_Q_DESCLO,
				  iova + Q_DESC(q), 4);
	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_Q_DESCHI,
				  (iova + Q_DESC(q)) >> 32, 4);
	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_Q_AVAILLO,
				  iova + Q_AVAIL(q), 4);
	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_Q_AVAILHI,
				  (iova + Q_AVAIL(q)) >> 32, 4);
	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_Q_USEDLO,
				  iova + Q_USED(q), 4);
	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_Q_USEDHI,
				  (iova + Q_USED(q)) >> 32, 4);
	return ret ?: common_write(v, VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
}

/* Negotiate VERSION_1 only (split rings, 12-byte header, no offloads). */
static int driver_init(const struct virtio_loc *v)
{
	int ret = common_write(v, VIRTIO_PCI_COMMON_STATUS, 0, 1);

	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_STATUS,
				  VIRTIO_CONFIG_S_ACKNOWLEDGE |
				  VIRTIO_CONFIG_S_DRIVER, 1);
	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_GF, 1, 4);
	ret = ret ?: common_write(v, VIRTIO_PCI_COMMON_STATUS,
				  VIRTIO_CONFIG_S_ACKNOWLEDGE |
				  VIRTIO_CONFIG_S_DRIVER |
				  VIRTIO_CONFIG_S_FEATURES_OK, 1);
	return ret;
}

static int driver_ok(const struct virtio_loc *v)
{
	return common_write(v, VIRTIO_PCI_COMMON_STATUS,
			    VIRTIO_CONFIG_S_ACKNOWLEDGE |
			    VIRTIO_CONFIG_S_DRIVER |
			    VIRTIO_CONFIG_S_FEATURES_OK |
			    VIRTIO_CONFIG_S_DRIVER_OK, 1);
}

/* Write queue @q's index to its notify register. */
static int notify(const struct virtio_loc *v, int dev, unsigned int q)
{
	int bar, pos = cfg8(dev, PCI_CAPABILITY_LIST), n;
	__u32 off, mult;
	__u16 noff, val = q;

	for (n = 0; pos && n < 48; n++, pos = cfg8(dev, pos + 1))
		if (cfg8(dev, pos) == PCI_CAP_ID_VNDR &&
		    cfg8(dev, pos + 3) == VIRTIO_PCI_CAP_NOTIFY_CFG)
			break;
	if (!pos)
		return -ENOENT;
	bar = cfg8(dev, pos + 4);
	off = cfg32(dev, pos + 8);
	mult = cfg32(dev, pos + 16);
	if (common_write(v, VIRTIO_PCI_COMMON_Q_SELECT, q, 2))
		return -EIO;
	noff = common_read(v, VIRTIO_PCI_COMMON_Q_NOFF, 2);
	return bar_rw(dev, bar, off + noff * mult, &val, 2, 1);
}

/*
 * Bring the function up: both queues' rings in @mem (mapped at @iova),
 * the receive queue's QSIZE buffers available, DRIVER_OK, and a kick of
 * the receive queue.  Interrupts are the caller's.
 */
static int rx_start_at(const struct virtio_loc *v, int dev, __u8 *mem,
		       __u64 iova)
{
	struct vring_desc *desc = (struct vring_desc *)(mem + Q_DESC(0));
	struct vring_avail *avail = (struct vring_avail *)(mem + Q_AVAIL(0));
	__u16 cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	unsigned int i;
	int ret;

	ret = cfg_write(dev, PCI_COMMAND, &cmd, 2);
	ret = ret ?: driver_init(v);
	ret = ret ?: setup_queue(v, 0, iova, 1);
	ret = ret ?: setup_queue(v, 1, iova, 2);
	if (ret)
		return ret;
	for (i = 0; i < QSIZE; i++) {
		desc[i].addr = iova + BUF(0, i);
		desc[i].len = BUF_LEN;
		desc[i].flags = VRING_DESC_F_WRITE;
		avail->ring[i] = i;
	}
	__atomic_store_n(&avail->idx, QSIZE, __ATOMIC_RELEASE);
	return driver_ok(v) ?: notify(v, dev, 0);
}

static int rx_start(const struct virtio_loc *v, int dev, __u8 *mem)
{
	return rx_start_at(v, dev, mem, IOVA_BASE);
}

/* A frame of @len bytes to @dst from @src, numbered @seq. */
static void make_frame(__u8 *f, size_t len, const __u8 *dst, const __u8 *src,
		       unsigned int seq)
{
	size_t i;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = PROTO >> 8;
	f[13] = PROTO & 0xff;
	for (i = 14; i < len; i++)
		f[i] = (__u8)(seq * 31 + i * 7);
}

/*
 * Wait up to 10 s for @ifname to be operationally up: while the function
 * at the other end of the cable is not DRIVER_OK its link is down, and
 * the kernel drops what is sent on a netdev without carrier.
 */
static int peer_wait_up(const char *ifname)
{
	char path[PATH_MAX], state[16];
	int i;

	snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", ifname);
	for (i = 0; i < 100; i++) {
		FILE *f = fopen(path, "r");

		if (!f)
			return -errno;
		if (!fgets(state, sizeof(state), f))
			state[0] = '\0';
		fclose(f);
		if (!strncmp(state, "up", 2))
			return 0;
		usleep(100 * 1000);
	}
	return -ETIMEDOUT;
}

static int peer_socket(const char *ifname, struct sockaddr_ll *sll)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	if (fd < 0)
		return -1;
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(ETH_P_ALL);
	sll->sll_ifindex = if_nametoindex(ifname);
	sll->sll_halen = 6;
	if (!sll->sll_ifindex ||
	    bind(fd, (struct sockaddr *)sll, sizeof(*sll))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Frames both ways between the passed-through function, driven from
 * here with its rings in this process's memory, and the in-host function
 * cabled to it: every byte checked, each queue's interrupt counted.
 */
TEST_F(mdev, dma_frames)
{
	const __u8 dst[6] = { 0x52, 0x54, 0x00, 0xab, 0x20, 0x01 };
	const __u8 src[6] = { 0x02, 0x00, 0x00, 0x00, 0x20, 0x02 };
	static const size_t lens[] = { 60, 700, 1514 };
	int rx_efd = eventfd(0, EFD_NONBLOCK), tx_efd = eventfd(0, EFD_NONBLOCK);
	__u32 trig = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD;
	__s32 fds[3] = { -1, rx_efd, tx_efd };
	struct vring_used_elem *ue;
	struct vring_avail *avail;
	struct vring_used *used;
	struct vring_desc *desc;
	struct sockaddr_ll sll;
	__u8 frame[1514], got[2048];
	__u64 rx_irqs = 0, tx_irqs = 0;
	unsigned int i, n, seen, done;
	int sock;
	__u8 *mem;

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	memset(mem, 0, MEM_SIZE);
	ASSERT_EQ(0, dma_map(self->container, mem, IOVA_BASE, MEM_SIZE));
	sock = peer_socket(env("IOVSIM_MDEV_PEER"), &sll);
	ASSERT_LE(0, sock) TH_LOG("packet socket on '%s'", env("IOVSIM_MDEV_PEER"));
	ASSERT_EQ(0, set_irqs(self->dev, trig, VFIO_PCI_MSIX_IRQ_INDEX, 0, 3,
			      fds, sizeof(fds)));
	ASSERT_EQ(0, rx_start(&self->v, self->dev, mem));
	ASSERT_EQ(VIRTIO_CONFIG_S_DRIVER_OK,
		  common_read(&self->v, VIRTIO_PCI_COMMON_STATUS, 1) &
		  (VIRTIO_CONFIG_S_DRIVER_OK | VIRTIO_CONFIG_S_NEEDS_RESET));
	ASSERT_EQ(0, peer_wait_up(env("IOVSIM_MDEV_PEER")));

	/*
	 * in-host peer -> passed-through function: into our buffers.  Until
	 * the device has taken the receive buffers (its worker checks the
	 * ring after the kick) a frame is dropped for want of buffers, as on
	 * a real NIC: the first frame is sent again until one arrives, and
	 * any copy of it still on its way is let in and checked too.
	 */
	used = (struct vring_used *)(mem + Q_USED(0));
	seen = 0;
	for (n = 0; n < 3; n++) {
		make_frame(frame, lens[n], dst, src, n);
		for (i = 0; i < 60 && __atomic_load_n(&used->idx,
						      __ATOMIC_ACQUIRE) == seen; i++) {
			if (!(i % 5) && (!n || !i))
				ASSERT_EQ((ssize_t)lens[n],
					  sendto(sock, frame, lens[n], 0,
						 (struct sockaddr *)&sll,
						 sizeof(sll)));
			rx_irqs += wait_eventfd(rx_efd, 100);
		}
		if (!n)
			usleep(300 * 1000);
		done = __atomic_load_n(&used->idx, __ATOMIC_ACQUIRE);
		ASSERT_LT(seen, done) TH_LOG("frame %u never arrived", n);
		ASSERT_GE(QSIZE, done);
		for (; seen < done; seen++) {
			ue = &used->ring[seen];
			ASSERT_GT(QSIZE, ue->id);
			ASSERT_EQ(NET_HDR + lens[n], ue->len);
			EXPECT_EQ(0, memcmp(mem + BUF(0, ue->id) + NET_HDR, frame,
					    lens[n]))
				TH_LOG("frame %u of %zu bytes differs", n, lens[n]);
		}
	}
	/* the receive queue's vector interrupted (no event index: each) */
	rx_irqs += wait_eventfd(rx_efd, 1000);
	EXPECT_LE(1, rx_irqs);

	/* passed-through function -> in-host peer: from our buffers */
	desc = (struct vring_desc *)(mem + Q_DESC(1));
	avail = (struct vring_avail *)(mem + Q_AVAIL(1));
	used = (struct vring_used *)(mem + Q_USED(1));
	for (n = 0; n < 3; n++) {
		ssize_t r = 0;

		make_frame(frame, lens[n], src, dst, 10 + n);
		memset(mem + BUF(1, n), 0, NET_HDR);
		memcpy(mem + BUF(1, n) + NET_HDR, frame, lens[n]);
		desc[n].addr = IOVA_BASE + BUF(1, n);
		desc[n].len = NET_HDR + lens[n];
		desc[n].flags = 0;
		avail->ring[n] = n;
		__atomic_store_n(&avail->idx, n + 1, __ATOMIC_RELEASE);
		ASSERT_EQ(0, notify(&self->v, self->dev, 1));
		for (i = 0; i < 50; i++) {
			struct pollfd p = { .fd = sock, .events = POLLIN };

			if (poll(&p, 1, 100) != 1)
				continue;
			r = recv(sock, got, sizeof(got), MSG_DONTWAIT);
			if (r >= 14 && got[12] == PROTO >> 8 &&
			    got[13] == (PROTO & 0xff) && !memcmp(got, src, 6))
				break;
			r = 0;
		}
		ASSERT_EQ((ssize_t)lens[n], r);
		EXPECT_EQ(0, memcmp(got, frame, lens[n]))
			TH_LOG("frame %u of %zu bytes differs", n, lens[n]);
		for (i = 0; i < 50 && __atomic_load_n(&used->idx,
						      __ATOMIC_ACQUIRE) <= n; i++)
			tx_irqs += wait_eventfd(tx_efd, 100);
		EXPECT_EQ(n + 1, __atomic_load_n(&used->idx, __ATOMIC_ACQUIRE));
	}
	tx_irqs += wait_eventfd(tx_efd, 1000);
	EXPECT_LE(1, tx_irqs);
	close(sock);
	close(rx_efd);
	close(tx_efd);
}

/*
 * A ring at an IOVA the container does not map: the device refuses it
 * (NEEDS_RESET, and its configuration interrupt) and touches nothing.
 */
TEST_F(mdev, dma_unmapped_ring)
{
	int efd = eventfd(0, EFD_NONBLOCK);
	__u32 trig = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD;
	__u16 cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	__s32 fd = efd;
	unsigned int i;
	__u64 irqs = 0;
	__u8 st = 0;

	ASSERT_EQ(0, cfg_write(self->dev, PCI_COMMAND, &cmd, 2));
	ASSERT_EQ(0, set_irqs(self->dev, trig, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1,
			      &fd, 4));
	ASSERT_EQ(0, driver_init(&self->v));
	ASSERT_EQ(0, common_write(&self->v, VIRTIO_PCI_COMMON_MSIX, 0, 2));
	ASSERT_EQ(0, setup_queue(&self->v, 0, IOVA_BASE + 0x40000000ull, 1));
	ASSERT_EQ(0, driver_ok(&self->v));
	ASSERT_EQ(0, notify(&self->v, self->dev, 0));
	for (i = 0; i < 50; i++) {
		st = common_read(&self->v, VIRTIO_PCI_COMMON_STATUS, 1);
		if (st & VIRTIO_CONFIG_S_NEEDS_RESET)
			break;
		irqs += wait_eventfd(efd, 100);
	}
	EXPECT_EQ(VIRTIO_CONFIG_S_NEEDS_RESET, st & VIRTIO_CONFIG_S_NEEDS_RESET);
	irqs += wait_eventfd(efd, 1000);
	EXPECT_EQ(1, irqs);
	close(efd);
}

/* Poll the device status until NEEDS_RESET, for up to @ms; the status. */
static __u8 wait_needs_reset(const struct virtio_loc *v, int ms)
{
	__u8 st = 0;
	int i;

	for (i = 0; i <= ms / 50; i++) {
		st = common_read(v, VIRTIO_PCI_COMMON_STATUS, 1);
		if (st & VIRTIO_CONFIG_S_NEEDS_RESET)
			break;
		usleep(50 * 1000);
	}
	return st;
}

/* This process's VmLck in kB (pages VFIO charged to it), or -1. */
static long vm_locked_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

#define BIG_IOVA	(IOVA_BASE + 0x40000000ull)
#define BIG_SIZE	(64ull << 20)

/*
 * A hostile driver's chain: one transmit buffer of 0xffffffff bytes over
 * 64 MiB it did map.  The device refuses the chain by its length alone
 * (NEEDS_RESET at once), without touching, let alone pinning, a page of
 * it: every page of the mapping is still unpopulated afterwards.
 */
TEST_F(mdev, dma_huge_chain)
{
	unsigned char vec[BIG_SIZE / 4096];
	struct vring_avail *avail;
	struct vring_desc *desc;
	__u8 *mem, *big, st;
	size_t i, resident = 0;

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	memset(mem, 0, MEM_SIZE);
	big = mmap(NULL, BIG_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, big);
	ASSERT_EQ(0, dma_map(self->container, mem, IOVA_BASE, MEM_SIZE));
	ASSERT_EQ(0, dma_map(self->container, big, BIG_IOVA, BIG_SIZE));
	ASSERT_EQ(0, rx_start(&self->v, self->dev, mem));

	desc = (struct vring_desc *)(mem + Q_DESC(1));
	avail = (struct vring_avail *)(mem + Q_AVAIL(1));
	desc[0].addr = BIG_IOVA;
	desc[0].len = 0xffffffff;
	desc[0].flags = 0;
	avail->ring[0] = 0;
	__atomic_store_n(&avail->idx, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, notify(&self->v, self->dev, 1));
	st = wait_needs_reset(&self->v, 5000);
	EXPECT_EQ(VIRTIO_CONFIG_S_NEEDS_RESET, st & VIRTIO_CONFIG_S_NEEDS_RESET);

	ASSERT_EQ(0, mincore(big, BIG_SIZE, vec));
	for (i = 0; i < sizeof(vec); i++)
		resident += vec[i] & 1;
	EXPECT_EQ(0, resident) TH_LOG("%zu pages of the buffer were touched",
				      resident);
	munmap(big, BIG_SIZE);
}

/*
 * No CAP_IPC_LOCK and RLIMIT_MEMLOCK 0: the device cannot pin its ring
 * pages and will not copy ring indexes byte by byte instead, so it stops
 * with NEEDS_RESET, writes nothing and charges nothing to the process.
 */
TEST_F(mdev, memlock_none)
{
	struct rlimit none = { 0, 0 };
	struct vring_used *used;
	__u8 *mem, st;

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	memset(mem, 0, MEM_SIZE);
	ASSERT_EQ(0, drop_ipc_lock());
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &none));
	ASSERT_EQ(0, dma_map(self->container, mem, IOVA_BASE, MEM_SIZE));
	ASSERT_EQ(0, rx_start(&self->v, self->dev, mem));
	st = wait_needs_reset(&self->v, 5000);
	EXPECT_EQ(VIRTIO_CONFIG_S_NEEDS_RESET, st & VIRTIO_CONFIG_S_NEEDS_RESET);
	EXPECT_EQ(0, vm_locked_kb());
	used = (struct vring_used *)(mem + Q_USED(0));
	EXPECT_EQ(0, used->flags);
	EXPECT_EQ(0, used->idx);
}

/*
 * No CAP_IPC_LOCK and a 1 MiB RLIMIT_MEMLOCK: the device works, what it
 * pins is charged to the process (its cache holds at most 16 pages), and
 * closing the device gives all of it back.
 */
TEST_F(mdev, memlock_budget)
{
	const __u8 dst[6] = { 0x52, 0x54, 0x00, 0xab, 0x20, 0x01 };
	const __u8 src[6] = { 0x02, 0x00, 0x00, 0x00, 0x20, 0x02 };
	struct rlimit budget = { 1 << 20, 1 << 20 };
	struct vring_used *used;
	struct sockaddr_ll sll;
	__u8 frame[600], *mem;
	long locked;
	int sock, i;

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	memset(mem, 0, MEM_SIZE);
	ASSERT_EQ(0, drop_ipc_lock());
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &budget));
	ASSERT_EQ(0, dma_map(self->container, mem, IOVA_BASE, MEM_SIZE));
	sock = peer_socket(env("IOVSIM_MDEV_PEER"), &sll);
	ASSERT_LE(0, sock);
	ASSERT_EQ(0, rx_start(&self->v, self->dev, mem));
	ASSERT_EQ(0, peer_wait_up(env("IOVSIM_MDEV_PEER")));

	/*
	 * Sent again until it arrives: until the device has taken the
	 * receive buffers (its worker checks the ring after the kick),
	 * frames are dropped for want of buffers, as on a real NIC.
	 */
	make_frame(frame, sizeof(frame), dst, src, 7);
	used = (struct vring_used *)(mem + Q_USED(0));
	for (i = 0; i < 50 && !__atomic_load_n(&used->idx, __ATOMIC_ACQUIRE);
	     i++) {
		ASSERT_EQ((ssize_t)sizeof(frame),
			  sendto(sock, frame, sizeof(frame), 0,
				 (struct sockaddr *)&sll, sizeof(sll)));
		usleep(100 * 1000);
	}
	ASSERT_LE(1, __atomic_load_n(&used->idx, __ATOMIC_ACQUIRE));
	EXPECT_EQ(0, memcmp(mem + BUF(0, 0) + NET_HDR, frame, sizeof(frame)));
	EXPECT_EQ(0, common_read(&self->v, VIRTIO_PCI_COMMON_STATUS, 1) &
		     VIRTIO_CONFIG_S_NEEDS_RESET);
	locked = vm_locked_kb();
	EXPECT_LT(0, locked);
	EXPECT_GE(16 * 4, locked);

	close(self->dev);
	self->dev = -1;
	EXPECT_EQ(0, vm_locked_kb());
	close(sock);
}

/*
 * Hostile timing: frames stream in from the in-host peer (a thread)
 * while this process resets the device, unmaps the memory its rings and
 * buffers are in, or closes the device, round after round.  Every frame
 * the device completes is checked byte for byte; after each action the
 * device writes nothing more into the memory; at the end every page the
 * device pinned has been given back (VmLck 0: CAP_IPC_LOCK is dropped,
 * so VFIO charges pins to this process).
 */
#define CHURN_ROUNDS	12

struct churn_sender {
	int sock;
	struct sockaddr_ll sll;
	int stop;
	unsigned long sent;
};

/* Length of the frame numbered @seq: 60 to 1514 bytes. */
static size_t churn_len(__u32 seq)
{
	return 60 + (seq * 97) % 1455;
}

/* dst, src, PROTO, @seq (4 bytes), then a pattern of @seq. */
static void churn_frame(__u8 *f, __u32 seq)
{
	static const __u8 dst[6] = { 0x52, 0x54, 0x00, 0xab, 0x20, 0x01 };
	static const __u8 src[6] = { 0x02, 0x00, 0x00, 0x00, 0x20, 0x02 };
	size_t i, len = churn_len(seq);

	make_frame(f, len, dst, src, seq);
	memcpy(f + 14, &seq, sizeof(seq));
	for (i = 18; i < len; i++)
		f[i] = (__u8)(seq * 13 + i);
}

static void *churn_send(void *arg)
{
	struct churn_sender *cs = arg;
	__u8 f[1514];
	__u32 seq = 0;

	while (!__atomic_load_n(&cs->stop, __ATOMIC_RELAXED)) {
		churn_frame(f, seq);
		if (sendto(cs->sock, f, churn_len(seq), MSG_DONTWAIT,
			   (struct sockaddr *)&cs->sll, sizeof(cs->sll)) > 0) {
			seq++;
			cs->sent++;
		} else {
			usleep(1000);
		}
	}
	return NULL;
}

/*
 * Check every completion in the receive queue of @mem: a whole frame of
 * the stream, in the buffer its descriptor gave.  Returns how many.
 */
static int churn_verify(struct __test_metadata *_metadata, const __u8 *mem)
{
	const struct vring_used *used = (const void *)(mem + Q_USED(0));
	__u16 i, n = __atomic_load_n(&used->idx, __ATOMIC_ACQUIRE);
	__u8 want[1514];
	__u32 seq;

	for (i = 0; i < n && i < QSIZE; i++) {
		const __u8 *buf = mem + BUF(0, used->ring[i].id);

		EXPECT_GT(QSIZE, used->ring[i].id);
		if (used->ring[i].id >= QSIZE)
			return -1;
		memcpy(&seq, buf + NET_HDR + 14, sizeof(seq));
		churn_frame(want, seq);
		EXPECT_EQ(NET_HDR + churn_len(seq), used->ring[i].len);
		EXPECT_EQ(0, memcmp(buf + NET_HDR, want, churn_len(seq)))
			TH_LOG("frame %u (completion %u) differs", seq, i);
	}
	return n;
}

/* Wait up to 5 s for the first completion in @mem's receive queue. */
static int churn_wait_rx(const __u8 *mem)
{
	const struct vring_used *used = (const void *)(mem + Q_USED(0));
	int i;

	for (i = 0; i < 500; i++) {
		if (__atomic_load_n(&used->idx, __ATOMIC_ACQUIRE))
			return 0;
		usleep(10 * 1000);
	}
	return -ETIMEDOUT;
}

/*
 * After a reset, an unmap or a close: nothing more lands in @mem.  A copy
 * the device had in flight through a pinned page when an unmap returned
 * may still complete (Documentation/ring.rst, Limits): @grace_ms first.
 */
static int churn_quiet(const __u8 *mem, __u8 *copy, int grace_ms)
{
	usleep(grace_ms * 1000);
	memcpy(copy, mem, MEM_SIZE);
	usleep(200 * 1000);
	return memcmp(copy, mem, MEM_SIZE) ? -EBUSY : 0;
}

TEST_F_TIMEOUT(mdev, churn_during_io, 300)
{
	struct rlimit budget = { 1 << 20, 1 << 20 };
	struct churn_sender cs = { 0 };
	__u8 *mem, *copy = malloc(MEM_SIZE);
	unsigned int round, frames = 0;
	pthread_t t;
	__u64 iova;
	int got;

	ASSERT_NE(NULL, copy);
	ASSERT_EQ(0, drop_ipc_lock());
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &budget));
	cs.sock = peer_socket(env("IOVSIM_MDEV_PEER"), &cs.sll);
	ASSERT_LE(0, cs.sock);

	for (round = 0; round < CHURN_ROUNDS; round++) {
		/*
		 * A range unmapped while the device is open is never pinned
		 * again until it closes (ring.rst): each round has its own.
		 */
		iova = IOVA_BASE + round * (__u64)MEM_SIZE;
		mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, mem);
		memset(mem, 0, MEM_SIZE);
		ASSERT_EQ(0, dma_map(self->container, mem, iova, MEM_SIZE));
		ASSERT_EQ(0, rx_start_at(&self->v, self->dev, mem, iova));
		ASSERT_EQ(0, peer_wait_up(env("IOVSIM_MDEV_PEER")));
		if (!round)
			ASSERT_EQ(0, pthread_create(&t, NULL, churn_send, &cs));
		ASSERT_EQ(0, churn_wait_rx(mem))
			TH_LOG("round %u: no frame", round);

		switch (round % 3) {
		case 0:	/* reset: the device stops, status 0 */
			ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_RESET));
			EXPECT_EQ(0, churn_quiet(mem, copy, 0));
			EXPECT_EQ(0, common_read(&self->v,
						 VIRTIO_PCI_COMMON_STATUS, 1));
			break;
		case 1:	/* unmap under the device's feet, then close */
			ASSERT_EQ(0, dma_unmap(self->container, iova,
					       MEM_SIZE));
			EXPECT_EQ(0, churn_quiet(mem, copy, 50));
			close(self->dev);
			self->dev = -1;
			break;
		case 2:	/* close while receiving */
			close(self->dev);
			self->dev = -1;
			EXPECT_EQ(0, churn_quiet(mem, copy, 0));
			break;
		}
		got = churn_verify(_metadata, mem);
		EXPECT_LT(0, got);
		frames += got > 0 ? got : 0;

		if (self->dev < 0) {
			self->dev = ioctl(self->group, VFIO_GROUP_GET_DEVICE_FD,
					  env("IOVSIM_MDEV_UUID"));
			ASSERT_LE(0, self->dev);
			self->v.dev = self->dev;
		}
		if (round % 3 != 1)
			ASSERT_EQ(0, dma_unmap(self->container, iova,
					       MEM_SIZE));
		munmap(mem, MEM_SIZE);
	}
	__atomic_store_n(&cs.stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	TH_LOG("%u rounds, %u frames verified, %lu sent", round, frames,
	       cs.sent);
	close(self->dev);
	self->dev = -1;
	EXPECT_EQ(0, vm_locked_kb());
	close(cs.sock);
	free(copy);
}

/*
 * Open, I/O, close, many times over: each cycle opens the device, brings
 * it up with fresh memory, gets one frame of the stream verified, and
 * closes it.  Nothing accumulates: no NEEDS_RESET, no pinned page left
 * (VmLck 0), and the kernel's own leak checks run after the test.
 * IOVSIM_MDEV_CYCLES sets the count (default 1000; mdev_vfio.sh runs 200).
 */
TEST_F_TIMEOUT(mdev, open_io_close_cycles, 900)
{
	struct rlimit budget = { 1 << 20, 1 << 20 };
	struct churn_sender cs = { 0 };
	const char *e = getenv("IOVSIM_MDEV_CYCLES");
	unsigned int cycle, cycles = e ? atoi(e) : 1000;
	__u8 *mem;
	pthread_t t;

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, drop_ipc_lock());
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &budget));
	ASSERT_EQ(0, dma_map(self->container, mem, IOVA_BASE, MEM_SIZE));
	cs.sock = peer_socket(env("IOVSIM_MDEV_PEER"), &cs.sll);
	ASSERT_LE(0, cs.sock);
	ASSERT_EQ(0, pthread_create(&t, NULL, churn_send, &cs));

	for (cycle = 0; cycle < cycles; cycle++) {
		if (self->dev < 0) {
			self->dev = ioctl(self->group, VFIO_GROUP_GET_DEVICE_FD,
					  env("IOVSIM_MDEV_UUID"));
			ASSERT_LE(0, self->dev) TH_LOG("cycle %u", cycle);
			self->v.dev = self->dev;
		}
		memset(mem, 0, MEM_SIZE);
		ASSERT_EQ(0, rx_start(&self->v, self->dev, mem));
		ASSERT_EQ(0, churn_wait_rx(mem))
			TH_LOG("cycle %u: no frame", cycle);
		ASSERT_EQ(0, common_read(&self->v, VIRTIO_PCI_COMMON_STATUS,
					 1) & VIRTIO_CONFIG_S_NEEDS_RESET);
		ASSERT_LT(0, churn_verify(_metadata, mem));
		close(self->dev);
		self->dev = -1;
	}
	__atomic_store_n(&cs.stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	TH_LOG("%u cycles, %lu frames sent", cycle, cs.sent);
	EXPECT_EQ(0, vm_locked_kb());
	close(cs.sock);
}

static void *remove_mdev(void *arg)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove",
		 env("IOVSIM_MDEV_UUID"));
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return (void *)1;
	/* returns once the device is closed */
	if (write(fd, "1", 1) != 1) {
		close(fd);
		return (void *)1;
	}
	close(fd);
	return NULL;
}

/*
 * The mdev removed while this process has its device open (the last
 * test: the mdev is gone afterwards): the removal waits, and the request
 * eventfd asks user space to let go; once it does, the removal ends.
 */
TEST_F(mdev, remove_while_open)
{
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	__u32 trig = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD;
	int efd = eventfd(0, EFD_NONBLOCK);
	char path[PATH_MAX];
	__s32 fd = efd;
	void *failed = (void *)1;
	pthread_t t;
	__u64 n;

	irq.index = VFIO_PCI_REQ_IRQ_INDEX;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ(1, irq.count);
	ASSERT_EQ(0, set_irqs(self->dev, trig, VFIO_PCI_REQ_IRQ_INDEX, 0, 1,
			      &fd, 4));
	ASSERT_EQ(0, pthread_create(&t, NULL, remove_mdev, NULL));
	n = wait_eventfd(efd, 20000);
	EXPECT_LE(1, n);
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s",
		 env("IOVSIM_MDEV_UUID"));
	/* the removal waits for the device */
	EXPECT_EQ(EBUSY, pthread_tryjoin_np(t, NULL));
	close(self->dev);
	self->dev = -1;
	ASSERT_EQ(0, pthread_join(t, &failed));
	EXPECT_EQ(NULL, failed);
	EXPECT_NE(0, access(path, F_OK));
	close(efd);
}

/*
 * --bench: not a test (nothing is asserted), the measurements of
 * scripts/bench-mdev, one "name median p10 p90" line each, in ns:
 *
 *  eventfd_wake     write() to an eventfd -> a thread blocked in poll()
 *                   on it returns: the floor every VFIO interrupt pays
 *  doorbell_irq     a transmit chain posted and its notify register
 *                   written through the trapped BAR -> the queue's
 *                   MSI-X eventfd fires (trap, worker, the frame sent to
 *                   the in-host peer, completion, interrupt)
 *  region_read      one 4-byte read of a trapped BAR register
 *  syscall_read     one 4-byte pread() of /dev/zero: the syscall floor
 *
 * and the CPU time, per doorbell, of this process and of all CPUs (the
 * device's worker runs in a kernel thread), and the wall time.
 */
#define BENCH_N		2000

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static void bench_print(const char *name, __u64 *t, unsigned int n)
{
	qsort(t, n, sizeof(*t), cmp_u64);
	printf("%s %llu %llu %llu\n", name, (unsigned long long)t[n / 2],
	       (unsigned long long)t[n / 10], (unsigned long long)t[n * 9 / 10]);
}

struct bench_waker {
	int efd;
	__u64 woke;
	int armed;
};

static void *bench_waiter(void *arg)
{
	struct bench_waker *w = arg;
	struct pollfd p = { .fd = w->efd, .events = POLLIN };
	__u64 v;
	unsigned int i;

	for (i = 0; i < BENCH_N; i++) {
		__atomic_store_n(&w->armed, 1, __ATOMIC_RELEASE);
		if (poll(&p, 1, 5000) != 1 || read(w->efd, &v, sizeof(v)) != 8)
			return NULL;
		__atomic_store_n(&w->woke, now_ns(), __ATOMIC_RELEASE);
		__atomic_store_n(&w->armed, 0, __ATOMIC_RELEASE);
	}
	return NULL;
}

static int bench_eventfd(__u64 *t)
{
	struct bench_waker w = { .efd = eventfd(0, 0) };
	__u64 one = 1, t0;
	unsigned int i;
	pthread_t th;

	if (w.efd < 0 || pthread_create(&th, NULL, bench_waiter, &w))
		return -1;
	for (i = 0; i < BENCH_N; i++) {
		while (!__atomic_load_n(&w.armed, __ATOMIC_ACQUIRE))
			sched_yield();
		usleep(200);	/* let it block in poll() */
		__atomic_store_n(&w.woke, 0, __ATOMIC_RELAXED);
		t0 = now_ns();
		if (write(w.efd, &one, sizeof(one)) != sizeof(one))
			return -1;
		while (!__atomic_load_n(&w.woke, __ATOMIC_ACQUIRE))
			sched_yield();
		t[i] = w.woke - t0;
		while (__atomic_load_n(&w.armed, __ATOMIC_ACQUIRE))
			sched_yield();
	}
	pthread_join(th, NULL);
	close(w.efd);
	return 0;
}

/* CPU time all CPUs spent busy so far (/proc/stat), in ns. */
static __u64 busy_ns(void)
{
	unsigned long long u, n, sy, idle, io, irq, sirq, steal = 0;
	FILE *f = fopen("/proc/stat", "r");
	int got;

	if (!f)
		return 0;
	got = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &u, &n,
		     &sy, &idle, &io, &irq, &sirq, &steal);
	fclose(f);
	if (got < 7)
		return 0;
	return (u + n + sy + irq + sirq + steal) *
	       (1000000000ull / sysconf(_SC_CLK_TCK));
}

static int bench_main(void)
{
	static __u64 t[BENCH_N];
	__u32 trig = VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD;
	int container, group, dev, efd = eventfd(0, EFD_NONBLOCK), zero;
	struct rusage ru0, ru1;
	struct vring_avail *avail;
	struct vring_used *used;
	struct vring_desc *desc;
	struct virtio_loc v = { 0 };
	const char *what;
	__s32 fds[3];
	__u64 t0, cpu, busy0;
	struct timespec w0, w1;
	unsigned int i;
	__u32 val;
	__u8 *mem;

	if (vfio_open(&container, &group, &dev, &what)) {
		fprintf(stderr, "%s: %s\n", what, strerror(errno));
		return 1;
	}
	v.dev = dev;
	if (find_virtio_cap(dev, VIRTIO_PCI_CAP_COMMON_CFG, &v.common_bar,
			    &v.common_off))
		return 1;
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || dma_map(container, mem, IOVA_BASE, MEM_SIZE))
		return 1;
	memset(mem, 0, MEM_SIZE);
	fds[0] = -1;
	fds[1] = -1;
	fds[2] = efd;
	if (set_irqs(dev, trig, VFIO_PCI_MSIX_IRQ_INDEX, 0, 3, fds,
		     sizeof(fds)) || rx_start(&v, dev, mem))
		return 1;

	if (bench_eventfd(t))
		return 1;
	bench_print("eventfd_wake", t, BENCH_N);

	/* one 60-byte frame per doorbell, all in one buffer */
	desc = (struct vring_desc *)(mem + Q_DESC(1));
	avail = (struct vring_avail *)(mem + Q_AVAIL(1));
	used = (struct vring_used *)(mem + Q_USED(1));
	make_frame(mem + BUF(1, 0) + NET_HDR, 60,
		   (const __u8 *)"\x02\x00\x00\x00\x20\x02",
		   (const __u8 *)"\x52\x54\x00\xab\x20\x01", 0);
	getrusage(RUSAGE_SELF, &ru0);
	clock_gettime(CLOCK_MONOTONIC, &w0);
	busy0 = busy_ns();
	for (i = 0; i < BENCH_N; i++) {
		__u16 slot = i % QSIZE;

		desc[slot].addr = IOVA_BASE + BUF(1, 0);
		desc[slot].len = NET_HDR + 60;
		desc[slot].flags = 0;
		avail->ring[slot] = slot;
		__atomic_store_n(&avail->idx, (__u16)(i + 1), __ATOMIC_RELEASE);
		t0 = now_ns();
		if (notify(&v, dev, 1))
			return 1;
		{
			struct pollfd p = { .fd = efd, .events = POLLIN };
			__u64 n;

			if (poll(&p, 1, 5000) != 1 ||
			    read(efd, &n, sizeof(n)) != sizeof(n))
				return 1;
		}
		t[i] = now_ns() - t0;
		while (__atomic_load_n(&used->idx, __ATOMIC_ACQUIRE) !=
		       (__u16)(i + 1))
			sched_yield();
	}
	clock_gettime(CLOCK_MONOTONIC, &w1);
	getrusage(RUSAGE_SELF, &ru1);
	printf("doorbell_cpu_all %llu\n",
	       (unsigned long long)((busy_ns() - busy0) / BENCH_N));
	bench_print("doorbell_irq", t, BENCH_N);
	cpu = (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec +
	       ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) * 1000000000ull +
	      (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec +
	       ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) * 1000ll;
	printf("doorbell_cpu_self %llu\n", (unsigned long long)(cpu / BENCH_N));
	printf("doorbell_wall %llu\n", (unsigned long long)
	       (((w1.tv_sec - w0.tv_sec) * 1000000000ull +
		 w1.tv_nsec - w0.tv_nsec) / BENCH_N));

	for (i = 0; i < BENCH_N; i++) {
		t0 = now_ns();
		if (bar_rw(dev, v.common_bar, v.common_off +
			   VIRTIO_PCI_COMMON_DFSELECT, &val, 4, 0))
			return 1;
		t[i] = now_ns() - t0;
	}
	bench_print("region_read", t, BENCH_N);
	zero = open("/dev/zero", O_RDONLY);
	for (i = 0; i < BENCH_N; i++) {
		t0 = now_ns();
		if (pread(zero, &val, 4, 0) != 4)
			return 1;
		t[i] = now_ns() - t0;
	}
	bench_print("syscall_read", t, BENCH_N);
	close(zero);
	close(dev);
	close(group);
	close(container);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--bench"))
		return bench_main();
	return test_harness_run(argc, argv);
}
