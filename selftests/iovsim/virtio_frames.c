// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_frames: send and check numbered Ethernet frames through a
 * packet socket, for the virtio-net selftests.
 *
 *   virtio_frames send IFNAME DST COUNT SIZES [OPTION...]
 *	Send COUNT frames to DST (a MAC address or "bcast"), cycling
 *	through SIZES (comma-separated frame lengths in bytes, Ethernet
 *	header included, 34 or more).  Prints "sent N failed F ms T", T
 *	the milliseconds the sends took.  Options:
 *	  dontwait	sends that would block are counted as failed and not
 *			retried; otherwise a failed send is an error
 *	  src=MAC	source address (default: IFNAME's)
 *	  vlan=ID	insert an 802.1Q tag with VLAN ID (the frame's length
 *			as recorded in it stays the untagged one)
 *	  ms=MS		stop after MS milliseconds even before COUNT
 *
 *   virtio_frames recv IFNAME COUNT IDLE_MS [FIRST_MS]
 *	Print "ready", then receive this tool's frames until COUNT distinct
 *	good frames arrived, none came for IDLE_MS after the last one, or
 *	none came in the first FIRST_MS (default 30000), or SIGTERM came.
 *	Prints "good G dup D
 *	bad B sockdrop S bcast C maxlen L tagged T vid V tpid P": a frame is good
 *	when its length, sequence number and payload checksum all match what
 *	the sender wrote; dup counts good frames whose sequence number was
 *	seen before; sockdrop is what the socket dropped
 *	(PACKET_STATISTICS); tagged counts good frames that arrived with a
 *	VLAN tag (PACKET_AUXDATA), V and P the VLAN ID and protocol of the
 *	last of them (-1 and 0x0000: none).  Then "inner I ivid IV": I
 *	good frames carried a second, inner 802.1Q tag in their data (an
 *	802.1ad frame whose outer tag is the one above: Q-in-Q), IV the
 *	VLAN ID of the last one.
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
#include <signal.h>
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
#define TAG_LEN		4

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

/*
 * A packet socket on @ifname for @proto frames.  The receiver listens to
 * every protocol (ETH_P_ALL) and picks this tool's frames itself: only
 * the taps for every protocol see a VLAN tag that no VLAN device claimed
 * (the stack clears it before it delivers by protocol).
 */
static int open_socket(const char *ifname, struct sockaddr_ll *sll,
		       int proto)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(proto));

	if (fd < 0)
		die("socket");
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(proto);
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

static int parse_mac(const char *s, __u8 *mac)
{
	if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		   &mac[2], &mac[3], &mac[4], &mac[5]) != 6) {
		fprintf(stderr, "bad MAC address: %s\n", s);
		return -1;
	}
	return 0;
}

/* SIGTERM only interrupts poll(): the receive loop then ends */
static void on_sigterm(int sig)
{
	(void)sig;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int do_send(int argc, char **argv)
{
	static __u8 frame[MAX_FRAME + TAG_LEN];
	unsigned long sizes[64], count, sent = 0, failed = 0, i;
	unsigned long vlan = 0, ms = 0;
	unsigned int nsizes = 0, dontwait = 0, have_src = 0;
	struct sockaddr_ll sll;
	long long start;
	struct ifreq ifr;
	char *tok, *save;
	__u8 src[ETH_ALEN];
	int fd, a;

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
	for (a = 6; a < argc; a++) {
		if (!strcmp(argv[a], "dontwait")) {
			dontwait = 1;
		} else if (!strncmp(argv[a], "src=", 4)) {
			if (parse_mac(argv[a] + 4, src))
				return 2;
			have_src = 1;
		} else if (!strncmp(argv[a], "vlan=", 5)) {
			vlan = parse_ulong(argv[a] + 5, 4094);
		} else if (!strncmp(argv[a], "ms=", 3)) {
			ms = parse_ulong(argv[a] + 3, 600000);
		} else {
			fprintf(stderr, "unknown option %s\n", argv[a]);
			return 2;
		}
	}

	fd = open_socket(argv[2], &sll, PROTO);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[2]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		die("SIOCGIFHWADDR");
	if (!strcmp(argv[3], "bcast"))
		memset(frame, 0xff, ETH_ALEN);
	else if (parse_mac(argv[3], frame))
		return 2;
	memcpy(frame + ETH_ALEN, have_src ? src :
	       (__u8 *)ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	frame[12] = PROTO >> 8;
	frame[13] = PROTO & 0xff;

	start = now_ms();
	for (i = 0; i < count; i++) {
		unsigned long len = sizes[i % nsizes];

		if (ms && now_ms() - start >= (long long)ms)
			break;
		fill(frame, i, len);
		if (vlan) {
			memmove(frame + 12 + TAG_LEN, frame + 12, len - 12);
			frame[12] = 0x81;
			frame[13] = 0x00;
			frame[14] = vlan >> 8;
			frame[15] = vlan & 0xff;
			len += TAG_LEN;
		}
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
		if (vlan) {
			memmove(frame + 12, frame + 12 + TAG_LEN,
				len - 12 - TAG_LEN);
			frame[12] = PROTO >> 8;
			frame[13] = PROTO & 0xff;
		}
	}
	printf("sent %lu failed %lu ms %lld\n", sent, failed,
	       now_ms() - start);
	return 0;
}

static int do_recv(int argc, char **argv)
{
	static __u8 frame[MAX_FRAME + TAG_LEN + 1];
	unsigned long count, idle, first, good = 0, dup = 0, bad = 0;
	unsigned long bcast = 0, tagged = 0, inner = 0;
	long ivid = -1, this_ivid;
	unsigned long maxlen = 0;
	long vid = -1;
	unsigned int tpid = 0;
	int one = 1;
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
	fd = open_socket(argv[2], &sll, ETH_P_ALL);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof(bufsz)))
		die("SO_RCVBUFFORCE");
	if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)))
		die("PACKET_AUXDATA");
	{
		struct sigaction sa = { .sa_handler = on_sigterm };

		sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART */
	}
	printf("ready\n");
	fflush(stdout);

	last = now_ms();
	while (good < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		union {
			struct cmsghdr h;
			char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		} ctl;
		struct iovec iov = { .iov_base = frame, .iov_len = sizeof(frame) };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = &ctl, .msg_controllen = sizeof(ctl),
		};
		struct tpacket_auxdata *aux = NULL;
		struct cmsghdr *c;
		long long left = last + (long long)(good + dup + bad ? idle :
						     first) - now_ms();
		__u32 seq, len;
		ssize_t n;

		if (left <= 0)
			break;
		n = poll(&pfd, 1, left);
		if (n < 0 && errno == EINTR)
			break;
		if (n <= 0)
			continue;
		n = recvmsg(fd, &msg, MSG_TRUNC);
		if (n < 0)
			die("recvmsg");
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_PACKET &&
			    c->cmsg_type == PACKET_AUXDATA)
				aux = (struct tpacket_auxdata *)CMSG_DATA(c);
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		/*
		 * Q-in-Q: the stack took the outer tag off (aux) and the
		 * inner 802.1Q one is still in the data; take it out too.
		 */
		this_ivid = -1;
		if (from.sll_protocol == htons(ETH_P_8021Q) &&
		    n >= HDR_LEN + TAG_LEN && n <= MAX_FRAME + TAG_LEN && frame[16] == PROTO >> 8 &&
		    frame[17] == (PROTO & 0xff)) {
			this_ivid = ((frame[14] << 8) | frame[15]) & 0xfff;
			memmove(frame + 12, frame + 12 + TAG_LEN,
				n - 12 - TAG_LEN);
			n -= TAG_LEN;
		} else if (from.sll_protocol != htons(PROTO)) {
			continue;
		}
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
		if (this_ivid >= 0) {
			inner++;
			ivid = this_ivid;
		}
		if (aux && aux->tp_status & TP_STATUS_VLAN_VALID) {
			tagged++;
			vid = aux->tp_vlan_tci & 0xfff;
			tpid = aux->tp_vlan_tpid;
		}
		if (from.sll_pkttype == PACKET_BROADCAST)
			bcast++;
	}
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen))
		die("PACKET_STATISTICS");
	printf("good %lu dup %lu bad %lu sockdrop %u bcast %lu maxlen %lu ",
	       good, dup, bad, st.tp_drops, bcast, maxlen);
	printf("tagged %lu vid %ld tpid 0x%04x inner %lu ivid %ld\n", tagged,
	       vid, tpid, inner, ivid);
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
			"usage: %s send IFNAME DST COUNT SIZES [dontwait] [src=MAC] [vlan=ID] [ms=MS]\n"
			"       %s recv IFNAME COUNT IDLE_MS [FIRST_MS]\n",
			argv[0], argv[0]);
	return ret;
}
