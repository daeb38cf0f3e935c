/** The alias under which the blob query answers the `index`-th SHA. */
export function blobQueryAlias(index: number): string {
  return `b${index}`;
}

/**
 * The GraphQL query that reads many blobs in one request (variables `owner`, `name`): one aliased `object(oid:)` per
 * SHA, answered under blobQueryAlias(index). The SHAs are inlined — GitHub has no list-of-oids field to pass them as
 * one variable — so they must be validated as hex first.
 * @example client.graphql(buildBlobQuery(shas), { owner, name: repo })
 */
export function buildBlobQuery(shas: readonly string[]): string {
  const fields = shas
    .map(
      (sha, index) =>
        `${blobQueryAlias(index)}: object(oid: "${sha}") { ... on Blob { oid byteSize isBinary isTruncated text } }`,
    )
    .join(" ");
  return `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${fields} } }`;
}
