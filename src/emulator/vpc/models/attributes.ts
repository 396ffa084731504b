import type { RouterType } from '../../types';
import { VpcErrors } from '../errors';

/** The rules for what an interface may be called and described as, and which routers it may face. */

const NAME_PATTERN = /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5._-]{1,127}$/;
const DESCRIPTION_PATTERN = /^[A-Za-z\u4e00-\u9fa5][\s\S]{1,255}$/;

export function checkName(name: string | undefined): void {
  if (name !== undefined && !(NAME_PATTERN.test(name) && !/^https?:\/\//.test(name))) throw VpcErrors.invalidName();
}

export function checkDescription(description: string | undefined): void {
  if (description !== undefined && !(DESCRIPTION_PATTERN.test(description) && !/^https?:\/\//.test(description))) {
    throw VpcErrors.invalidDescription();
  }
}

export function checkOppositeRouterType(value: string | undefined): RouterType | undefined {
  if (value === undefined) return undefined;
  if (value !== 'VRouter' && value !== 'VBR') throw VpcErrors.invalidOppositeRouterType();
  return value;
}
