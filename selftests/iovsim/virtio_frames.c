// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_frames: send and check numbered Ethernet frames through a
 * packet socket, for the virtio-net selftests.
 *
 *   virtio_frames send IFNAME DST COUNT SIZES [dontwait]
 *	Send COUNT frames to DST (a MAC address or "bcast"), cycling
 *	through SIZES (comma-separated frame lengths in bytes, Ethernet
 *	header included, 34 or more).  Prints "sent N failed F": with
 *	dontwait, sends that would block are counted as failed and not
 *	retried; otherwise a failed send is an error.
 *
 *   virtio_frames recv IFNAME COUNT IDLE_MS [FIRST_MS]
 *	Print "ready", then receive this tool's frames until COUNT distinct
 *	good frames arrived, none came for IDLE_MS after the last one, or
 *	none came in the first FIRST_MS (default 30000).  Prints "good G dup D
 *	bad B sockdrop S bcast C maxlen L": a frame is good when its
 *	length, sequence number and payload checksum all match what the
 *	sender wrote; dup counts good frames whose sequence number was seen
 *	before; sockdrop is what the socket dropped (PACKET_STATISTICS).
 *
 * Frame layout after the Ethernet header (EtherType 0x88b5, local
 * experimental): magic "IOVF", sequence number, frame length, checksum
 * of everything after the checksum field, then a pattern derived from
 * the sequence number.  All fields big endian.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PROTO		0x88b5
#define MAGIC		0x494f5646	/* "IOVF" */
#define HDR_LEN		14
#define BODY_OFF	(HDR_LEN + 16)	/* magic, seq, len, checksum */
#define MIN_FRAME	BODY_OFF
#define MAX_FRAME	9100
#define MAX_COUNT	4194304

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static __u32 get32(const __u8 *p)
{
	return (__u32)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void put32(__u8 *p, __u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* FNV-1a over @len bytes */
static __u32 checksum(const __u8 *p, size_t len)
{
	__u32 h = 2166136261u;

	while (len--) {
		h ^= *p++;
		h *= 16777619u;
	}
	return h;
}

static void fill(__u8 *frame, __u32 seq, __u32 len)
{
	__u32 i, x = seq * 2654435761u + 1;

	put32(frame + HDR_LEN, MAGIC);
	put32(frame + HDR_LEN + 4, seq);
	put32(frame + HDR_LEN + 8, len);
	for (i = BODY_OFF; i < len; i++) {
		x = x * 1103515245u + 12345u;
		frame[i] = x >> 16;
	}
	put32(frame + HDR_LEN + 12, checksum(frame + BODY_OFF,
					     len - BODY_OFF));
}

static int open_socket(const char *ifname, struct sockaddr_ll *sll)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(PROTO));

	if (fd < 0)
		die("socket");
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(PROTO);
	sll->sll_ifindex = if_nametoindex(ifname);
	if (!sll->sll_ifindex)
		die(ifname);
	if (bind(fd, (struct sockaddr *)sll, sizeof(*sll)))
		die("bind");
	return fd;
}

static unsigned long parse_ulong(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max) {
		fprintf(stderr, "bad number: %s\n", s);
		exit(2);
	}
	return v;
}

static int do_send(int argc, char **argv)
{
	static __u8 frame[MAX_FRAME];
	unsigned long sizes[64], count, sent = 0, failed = 0, i;
	unsigned int nsizes = 0, dontwait;
	struct sockaddr_ll sll;
	struct ifreq ifr;
	char *tok, *save;
	int fd;

	if (argc < 6)
		return 2;
	count = parse_ulong(argv[4], MAX_COUNT);
	for (tok = strtok_r(argv[5], ",", &save); tok && nsizes < 64;
	     tok = strtok_r(NULL, ",", &save)) {
		sizes[nsizes] = parse_ulong(tok, MAX_FRAME);
		if (sizes[nsizes] < MIN_FRAME) {
			fprintf(stderr, "frame length %lu below %d\n",
				sizes[nsizes], MIN_FRAME);
			return 2;
		}
		nsizes++;
	}
	if (!nsizes)
		return 2;
	dontwait = argc > 6 && !strcmp(argv[6], "dontwait");

	fd = open_socket(argv[2], &sll);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[2]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		die("SIOCGIFHWADDR");
	if (!strcmp(argv[3], "bcast")) {
		memset(frame, 0xff, ETH_ALEN);
	} else if (sscanf(argv[3], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
			  &frame[0], &frame[1], &frame[2], &frame[3],
			  &frame[4], &frame[5]) != 6) {
		fprintf(stderr, "bad MAC address: %s\n", argv[3]);
		return 2;
	}
	memcpy(frame + ETH_ALEN, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	frame[12] = PROTO >> 8;
	frame[13] = PROTO & 0xff;

	for (i = 0; i < count; i++) {
		unsigned long len = sizes[i % nsizes];

		fill(frame, i, len);
		if (send(fd, frame, len, dontwait ? MSG_DONTWAIT : 0) ==
		    (ssize_t)len) {
			sent++;
		} else if (dontwait && (errno == EAGAIN || errno == ENOBUFS)) {
			failed++;
		} else {
			fprintf(stderr, "send of frame %lu (%lu bytes): %s\n",
				i, len, strerror(errno));
			return 1;
		}
	}
	printf("sent %lu failed %lu\n", sent, failed);
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int do_recv(int argc, char **argv)
{
	static __u8 frame[MAX_FRAME + 1];
	unsigned long count, idle, first, good = 0, dup = 0, bad = 0;
	unsigned long bcast = 0;
	unsigned long maxlen = 0;
	struct tpacket_stats st = { 0 };
	socklen_t stlen = sizeof(st);
	struct sockaddr_ll sll, from;
	unsigned char *seen;
	long long last;
	int fd, bufsz = 32 << 20;

	if (argc < 5)
		return 2;
	count = parse_ulong(argv[3], MAX_COUNT);
	idle = parse_ulong(argv[4], 600000);
	first = argc > 5 ? parse_ulong(argv[5], 600000) : 30000;
	seen = calloc(MAX_COUNT, 1);
	if (!seen)
		die("calloc");
	fd = open_socket(argv[2], &sll);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof(bufsz)))
		die("SO_RCVBUFFORCE");
	printf("ready\n");
	fflush(stdout);

	last = now_ms();
	while (good < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		socklen_t flen = sizeof(from);
		long long left = last + (long long)(good + dup + bad ? idle :
						     first) - now_ms();
		__u32 seq, len;
		ssize_t n;

		if (left <= 0)
			break;
		if (poll(&pfd, 1, left) <= 0)
			continue;
		n = recvfrom(fd, frame, sizeof(frame), MSG_TRUNC,
			     (struct sockaddr *)&from, &flen);
		if (n < 0)
			die("recvfrom");
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		last = now_ms();
		if ((size_t)n > maxlen)
			maxlen = n;
		if (n < MIN_FRAME || n > MAX_FRAME ||
		    get32(frame + HDR_LEN) != MAGIC) {
			bad++;
			continue;
		}
		seq = get32(frame + HDR_LEN + 4);
		len = get32(frame + HDR_LEN + 8);
		if (len != n || seq >= MAX_COUNT ||
		    get32(frame + HDR_LEN + 12) !=
		    checksum(frame + BODY_OFF, n - BODY_OFF)) {
			bad++;
			continue;
		}
		if (seen[seq]) {
			dup++;
			continue;
		}
		seen[seq] = 1;
		good++;
		if (from.sll_pkttype == PACKET_BROADCAST)
			bcast++;
	}
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen))
		die("PACKET_STATISTICS");
	printf("good %lu dup %lu bad %lu sockdrop %u bcast %lu maxlen %lu\n",
	       good, dup, bad, st.tp_drops, bcast, maxlen);
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 2;

	if (argc > 1 && !strcmp(argv[1], "send"))
		ret = do_send(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "recv"))
		ret = do_recv(argc, argv);
	if (ret == 2 && argc < 4)
		fprintf(stderr,
			"usage: %s send IFNAME DST COUNT SIZES [dontwait]\n"
			"       %s recv IFNAME COUNT IDLE_MS [FIRST_MS]\n",
			argv[0], argv[0]);
	return ret;
}
