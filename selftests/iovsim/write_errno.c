// SPDX-License-Identifier: GPL-2.0-only
/*
 * write_errno - write a value to a file in one write(2) and print the result.
 *
 *   write_errno PATH VALUE
 *
 * Prints "OK" and exits 0 when the write succeeds; otherwise prints the
 * errno's name (EINVAL, ERANGE, ...) and exits 1. Shells' builtin echo
 * reports every write error alike, so tests that assert on errno use this.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *name;
	ssize_t ret;
	size_t len;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PATH VALUE\n", argv[0]);
		return 2;
	}

	fd = open(argv[1], O_WRONLY);
	if (fd < 0)
		goto err;

	len = strlen(argv[2]);
	ret = write(fd, argv[2], len);
	if (ret < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		goto err;
	}
	if (close(fd) < 0)
		goto err;
	if ((size_t)ret != len) {
		printf("SHORT\n");
		return 1;
	}
	printf("OK\n");
	return 0;

err:
	name = strerrorname_np(errno);
	printf("%s\n", name ? name : "EUNKNOWN");
	return 1;
}
