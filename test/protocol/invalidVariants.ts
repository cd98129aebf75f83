/**
 * Invalid variants that every message must refuse, made from its valid sample: `optional` names
 * the fields a message may leave out, `anyObject` those that take any JSON object.
 */
export function invalidVariants(
  sample: Record<string, unknown>,
  optional: readonly string[] = [],
  anyObject: readonly string[] = [],
): [string, unknown][] {
  const variants: [string, unknown][] = [
    ['wrong version', { ...sample, v: 2 }],
    ['missing version', (({ v: _v, ...rest }) => rest)(sample)],
    ['unknown field', { ...sample, extra: true }],
    ['unknown type', { ...sample, type: 'call.teleport' }],
    ['not an object', JSON.stringify(sample)],
    ['null', null],
    ['array', [sample]],
  ];
  for (const field of Object.keys(sample)) {
    if (field === 'v' || field === 'type') continue;
    const { [field]: _removed, ...rest } = sample;
    if (!optional.includes(field)) variants.push([`missing ${field}`, rest]);
    if (!anyObject.includes(field)) {
      variants.push([`${field} of the wrong type`, { ...sample, [field]: { nested: [1] } }]);
    }
    if (typeof sample[field] !== 'boolean') {
      variants.push([`${field} as a boolean`, { ...sample, [field]: true }]);
    }
  }
  return variants;
}
