"use strict";
/** The dev server's URL in manifest.xml, and the rewrite that points the manifest at ADDIN_URL. */
const DEV_URL = "https://localhost:3000/";

/** ADDIN_URL checked and ending in "/"; the dev URL when unset. */
function addinUrl(raw) {
  if (!raw) return DEV_URL;
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`ADDIN_URL is not a URL: ${raw}`);
  }
  if (url.protocol !== "https:") throw new Error(`ADDIN_URL must be https (Office loads add-ins over https only): ${raw}`);
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/** Every dev URL of the manifest pointed at `target`; the AppDomain becomes target's origin. */
function rewriteManifest(xml, target) {
  return String(xml)
    .split(`<AppDomain>${new URL(DEV_URL).origin}</AppDomain>`)
    .join(`<AppDomain>${new URL(target).origin}</AppDomain>`)
    .split(DEV_URL)
    .join(target);
}

module.exports = { DEV_URL, addinUrl, rewriteManifest };
