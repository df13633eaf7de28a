kernel BUG at
BUG: 
WARNING: 
Oops
invalid opcode:
general protection fault
Call Trace:
Kernel panic
KASAN
UBSAN
possible circular locking dependency
possible recursive locking detected
inconsistent lock state
lock held when returning to user space
suspicious RCU usage
Invalid wait context
sleeping function called from invalid context
scheduling while atomic
refcount_t: 
rcu: INFO: .* detected stalls
rcu_.* self-detected stall
blocked for more than [0-9]+ seconds
soft lockup
hard LOCKUP
Watchdog detected hard LOCKUP
workqueue lockup
NETDEV WATCHDOG
ODEBUG: 
list_add corruption
list_del corruption
stack-protector
stack guard page was hit
Unable to handle kernel
