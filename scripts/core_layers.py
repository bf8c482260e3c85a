#!/usr/bin/python3
"""Which service/core/ folders include which: prints the matrix (number of
#include lines from the row folder into the column folder) and fails when an
include points up the layer order of service/core/CMakeLists.txt (a folder
may use only folders listed above it), which also rules out cycles.

  scripts/core_layers.py [SOURCE_DIR]
"""
import os
import re
import sys

LAYERS = ['util', 'secrets', 'auth', 'tenants', 'reviews', 'ingest', 'alerts',
          'insights', 'collectors']
INCLUDE = re.compile(r'#include "service/core/([a-z_]+)/')


def main():
    core = os.path.join(sys.argv[1] if len(sys.argv) > 1 else '.',
                        'service', 'core')
    uses = {f: {} for f in LAYERS}
    loose = [n for n in os.listdir(core) if n.endswith(('.h', '.cc'))]
    for folder in LAYERS:
        for dirpath, _, names in os.walk(os.path.join(core, folder)):
            for name in names:
                if not name.endswith(('.h', '.cc')):
                    continue
                with open(os.path.join(dirpath, name)) as f:
                    for m in INCLUDE.finditer(f.read()):
                        if m.group(1) != folder:
                            uses[folder][m.group(1)] = (
                                uses[folder].get(m.group(1), 0) + 1)
    w = 11
    print('includes ->'.ljust(w) + ''.join(g[:w - 1].ljust(w) for g in LAYERS))
    for f in LAYERS:
        print(f.ljust(w) + ''.join(
            ('-' if g == f else str(uses[f].get(g, ''))).ljust(w)
            for g in LAYERS))
    up = [(f, g) for f in LAYERS for g in uses[f]
          if g not in LAYERS or LAYERS.index(g) > LAYERS.index(f)]
    for f, g in up:
        print(f'error: {f}/ includes {g}/, which is not below it')
    for n in loose:
        print(f'error: service/core/{n} belongs in a folder')
    return 1 if up or loose else 0


if __name__ == '__main__':
    sys.exit(main())
