import { describe, expect, test } from 'vitest';
import { EC_CERTIFICATE_OF_PARTICIPATION, EC_MICROCREDENTIAL, MYNEXTID_MICROCREDENTIAL, sealedEdcPayload } from '../../test/helpers/europass-fixtures.js';
import { validateEdc } from './edc-validation.js';
import { loadShapes } from './shacl.js';

const NO_CV = 'http://data.europa.eu/snb/model/ap/edc-generic-no-cv/';

describe('EDC validation against the Commission’s SHACL shapes', () => {
  test.each([EC_MICROCREDENTIAL, EC_CERTIFICATE_OF_PARTICIPATION])('the Commission’s sealed sample %s conforms', async (file) => {
    const result = await validateEdc(sealedEdcPayload(file));
    expect(result.violations).toEqual([]);
    expect(result.undefinedTerms).toEqual([]);
    expect(result.conforms).toBe(true);
  });

  test('an organisation without its legal name, and a credential without its display, are named by their shapes', async () => {
    const document = sealedEdcPayload(EC_MICROCREDENTIAL);
    delete document.issuer.legalName;
    delete document.displayParameter;
    const result = await validateEdc(document);
    expect(result.conforms).toBe(false);
    expect(result.violations).toContainEqual(
      expect.objectContaining({ focusNode: document.issuer.id, constraint: 'minCount', shape: `${NO_CV}Organisation-rov_legalName` }),
    );
    expect(result.violations).toContainEqual(
      expect.objectContaining({ focusNode: document.id, constraint: 'minCount', shape: `${NO_CV}EuropeanDigitalCredential-elm_displayParameter` }),
    );
  });

  test('a controlled-vocabulary value from the wrong scheme breaks the edc-generic-full restriction', async () => {
    const document = sealedEdcPayload(EC_MICROCREDENTIAL);
    document.displayParameter.primaryLanguage = { id: 'http://example.com/languages/english', type: 'Concept', inScheme: { id: 'http://example.com/languages', type: 'ConceptScheme' } };
    const result = await validateEdc(document);
    expect(result.violations.some((violation) => violation.path === 'http://data.europa.eu/snb/model/elm/primaryLanguage' && violation.constraint === 'node')).toBe(true);
  });

  test('a third party’s published EDC that breaks the shapes is reported, with the terms the EDC context does not define', async () => {
    const result = await validateEdc(sealedEdcPayload(MYNEXTID_MICROCREDENTIAL));
    expect(result.conforms).toBe(false);
    expect(result.undefinedTerms).toEqual(expect.arrayContaining(['cnf', 'statusPurpose']));
    expect(result.violations).toContainEqual(expect.objectContaining({ constraint: 'maxCount', shape: `${NO_CV}MediaObject-elm_content` }));
  });

  test('shapes that use a SHACL feature the validator does not implement are refused, not half-checked', () => {
    const shapes = [{ '@id': 'urn:shape', '@type': ['http://www.w3.org/ns/shacl#NodeShape'], 'http://www.w3.org/ns/shacl#closed': [{ '@value': true }] }];
    expect(() => loadShapes(shapes)).toThrow(/sh:closed/);
  });
});
