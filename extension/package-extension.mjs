// Zips each built browser directory into extension/dist/baa-conductor-<browser>.zip, the form
// the browsers' stores and `about:addons` take. A minimal zip writer (deflate, no extras) keeps
// this free of another dependency.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { deflateRawSync } from "node:zlib"
import { crc32 } from "./icons.mjs"

const dist = join(dirname(fileURLToPath(import.meta.url)), "dist")

const filesUnder = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]))

// 1980-01-01 00:00: a fixed DOS time keeps the archive the same for the same files.
const DOS_TIME = 0
const DOS_DATE = (0 << 9) | (1 << 5) | 1

const zip = (root) => {
  const locals = []
  const centrals = []
  let offset = 0
  for (const file of filesUnder(root)) {
    const name = Buffer.from(relative(root, file).split("\\").join("/"), "utf8")
    const data = readFileSync(file)
    const packed = deflateRawSync(data)
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6) // names are UTF-8
    local.writeUInt16LE(8, 8) // deflate
    local.writeUInt16LE(DOS_TIME, 10)
    local.writeUInt16LE(DOS_DATE, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    local.copy(central, 8, 6, 28) // flags … name length are the same fields
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, packed)
    centrals.push(central, name)
    offset += local.length + name.length + packed.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(centrals.length / 2, 8)
  end.writeUInt16LE(centrals.length / 2, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

for (const browser of ["chromium", "firefox"]) {
  const out = join(dist, `baa-conductor-${browser}.zip`)
  writeFileSync(out, zip(join(dist, browser)))
  console.log(`packaged ${out}`)
}
