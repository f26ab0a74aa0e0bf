/**
 * Shrink a large photo before upload (a phone's camera makes 4000 px, 5–10 MB pictures): longest
 * side at most 2500 px, re-encoded as JPEG 0.9, turned upright from its EXIF orientation. PDFs,
 * small images and images the browser cannot decode (HEIC in most browsers) are sent as they are.
 */

export const MAX_SIDE = 2500
export const MAX_BYTES = 3 * 1024 * 1024
export const JPEG_QUALITY = 0.9

/** The size to draw a `width`×`height` image at so its longest side is at most `maxSide`. */
export function fitWithin(width: number, height: number, maxSide = MAX_SIDE): { width: number; height: number } {
  const longest = Math.max(width, height)
  if (longest <= maxSide) return { width, height }
  const scale = maxSide / longest
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/** True when an image of this size and byte count should be shrunk before upload. */
export function needsShrink(width: number, height: number, bytes: number): boolean {
  return Math.max(width, height) > MAX_SIDE || bytes > MAX_BYTES
}

/** "bon.HEIC.png" → "bon.HEIC.jpg". */
export function jpegName(name: string): string {
  const base = name.replace(/\.[^.]*$/, '') || 'bon'
  return `${base}.jpg`
}

/** The file to upload: `file` itself, or a smaller upright JPEG of it when it is a large image. */
export async function shrinkImage(file: File): Promise<File> {
  if (!file.type.startsWith('image/') || typeof createImageBitmap !== 'function') return file
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch {
    return file // a format the browser cannot decode: the server reads it
  }
  try {
    if (!needsShrink(bitmap.width, bitmap.height, file.size)) return file
    const size = fitWithin(bitmap.width, bitmap.height)
    const canvas = document.createElement('canvas')
    canvas.width = size.width
    canvas.height = size.height
    const context = canvas.getContext('2d')
    if (!context) return file
    context.drawImage(bitmap, 0, 0, size.width, size.height)
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY))
    if (!blob || blob.size >= file.size) return file
    return new File([blob], jpegName(file.name), { type: 'image/jpeg', lastModified: file.lastModified })
  } finally {
    bitmap.close()
  }
}
